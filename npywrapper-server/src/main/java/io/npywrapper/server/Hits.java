package io.npywrapper.server;

import io.npywrapper.query.Hit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of query results: each hit is an object with {@code id}, {@code distance} (for a
 * vector search), the selected attributes by name and {@code vector} when asked for. Timestamps are
 * written as ISO-8601 strings. Stateless and thread-safe.
 */
final class Hits {
  /** Keys a hit uses itself, so an attribute of that name cannot be selected. */
  static final Set<String> RESERVED = Set.of("id", "distance", "vector");

  private Hits() {}

  static List<List<Map<String, Object>>> lists(List<List<Hit>> lists, boolean distances) {
    List<List<Map<String, Object>>> out = new ArrayList<>(lists.size());
    for (List<Hit> l : lists) {
      out.add(list(l, distances));
    }
    return out;
  }

  static List<Map<String, Object>> list(List<Hit> hits, boolean distances) {
    List<Map<String, Object>> out = new ArrayList<>(hits.size());
    for (Hit h : hits) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", h.id());
      if (distances) {
        m.put("distance", h.distance());
      }
      if (h.attributes() != null) {
        h.attributes().forEach((k, v) -> m.put(k, value(v)));
      }
      if (h.vector() != null) {
        m.put("vector", h.vector());
      }
      out.add(m);
    }
    return out;
  }

  /** Attribute values with timestamps as ISO-8601 strings. */
  static Map<String, Object> attributes(Map<String, Object> attrs) {
    Map<String, Object> m = new LinkedHashMap<>();
    attrs.forEach((k, v) -> m.put(k, value(v)));
    return m;
  }

  private static Object value(Object v) {
    return v instanceof Instant i ? i.toString() : v;
  }

  /** Throws a 400 when a selected attribute's name is one a hit uses itself. */
  static void checkSelect(List<String> select) {
    for (String s : select) {
      if (RESERVED.contains(s)) {
        throw ApiException.badRequest(
            "cannot select attribute '"
                + s
                + "' over HTTP: a hit's '"
                + s
                + "' field holds the "
                + s);
      }
    }
  }
}
