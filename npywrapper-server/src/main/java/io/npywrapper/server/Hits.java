package io.npywrapper.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.npywrapper.query.Hit;
import java.io.IOException;
import java.time.Instant;
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

  /**
   * A search's answer, {@code {"version": v, "results": [[hit, ...], ...]}} with one list per query
   * vector, written hit by hit (no map per hit: ten hits in 1.0 instead of 1.7 µs, measured alone).
   */
  static byte[] searchAnswer(long version, List<List<Hit>> lists) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeNumberField("version", version);
          g.writeArrayFieldStart("results");
          for (List<Hit> l : lists) {
            writeList(g, l, true);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** A filter-only query's answer, {@code {"version": v, "rows": [hit, ...]}}. */
  static byte[] queryAnswer(long version, List<Hit> hits) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeNumberField("version", version);
          g.writeFieldName("rows");
          writeList(g, hits, false);
          g.writeEndObject();
        });
  }

  private static void writeList(JsonGenerator g, List<Hit> hits, boolean distances)
      throws IOException {
    g.writeStartArray();
    for (Hit h : hits) {
      g.writeStartObject();
      g.writeFieldName("id");
      writeValue(g, h.id());
      if (distances) {
        g.writeNumberField("distance", h.distance());
      }
      if (h.attributes() != null) {
        for (Map.Entry<String, Object> a : h.attributes().entrySet()) {
          g.writeFieldName(a.getKey());
          writeValue(g, a.getValue());
        }
      }
      if (h.vector() != null) {
        g.writeFieldName("vector");
        writeValue(g, h.vector());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * An id, attribute value or vector: the types the engine returns written directly (a timestamp as
   * its ISO-8601 string), as the mapper would write them; anything else by the mapper.
   */
  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Boolean b -> g.writeBoolean(b);
      case Instant i -> g.writeString(i.toString());
      case float[] f -> {
        g.writeStartArray();
        for (float x : f) {
          g.writeNumber(x);
        }
        g.writeEndArray();
      }
      case List<?> list -> {
        g.writeStartArray();
        for (Object o : list) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      default -> g.writeObject(v);
    }
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
