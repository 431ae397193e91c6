package io.npywrapper.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.query.Query;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Searches sent with a binary body ({@code Content-Type: application/x-npy}): the query vectors are
 * the body, a {@code .npy} of shape {@code (dim,)} for one query or {@code (n, dim)} for a batch,
 * any real dtype (read as float32); the options come from the query string under the JSON fields'
 * names ({@code k}, {@code offset}, {@code filter}, {@code select} as a comma-separated list,
 * {@code ef}, {@code exact}, {@code rerank}, {@code version}, {@code with_vectors}), typed here and
 * then checked by the same code as a JSON search. Saves clients and server the text form of every
 * float. Stateless and thread-safe.
 */
final class NpyQueries {
  private static final Set<String> INTEGERS = Set.of("k", "offset", "ef", "rerank", "version");
  private static final Set<String> BOOLEANS = Set.of("exact", "with_vectors");
  private static final Set<String> TEXTS = Set.of("filter");
  private static final Set<String> LISTS = Set.of("select");

  private NpyQueries() {}

  /** The query-string options as the JSON fields of a search, typed. */
  static JsonBody options(Request req) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, String> e : req.queryParams().entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (INTEGERS.contains(name)) {
        try {
          node.put(name, Long.parseLong(value.trim()));
        } catch (NumberFormatException x) {
          throw ApiException.badRequest(
              "query parameter '" + name + "' must be an integer, got '" + value + "'");
        }
      } else if (BOOLEANS.contains(name)) {
        if (!value.equals("true") && !value.equals("false")) {
          throw ApiException.badRequest(
              "query parameter '" + name + "' must be true or false, got '" + value + "'");
        }
        node.put(name, Boolean.parseBoolean(value));
      } else if (TEXTS.contains(name)) {
        node.put(name, value);
      } else if (LISTS.contains(name)) {
        ArrayNode list = node.putArray(name);
        Arrays.stream(value.split(","))
            .map(String::trim)
            .filter(v -> !v.isEmpty())
            .forEach(list::add);
      } else {
        TreeSet<String> known = new TreeSet<>(INTEGERS);
        known.addAll(BOOLEANS);
        known.addAll(TEXTS);
        known.addAll(LISTS);
        throw ApiException.badRequest(
            "unknown query parameter '"
                + name
                + "' for a .npy search body; expected one of "
                + known);
      }
    }
    return new JsonBody(node);
  }

  /** {@code q} searching for the vectors of the request's {@code .npy} body. */
  static Query nearest(Query q, Request req, int dim) throws IOException {
    NpyArray a = NpyBody.vectors(req, dim, "query vectors", "query vectors", true);
    if (a.rank() == 1) {
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) {
        v[i] = a.getFloat(i);
      }
      return q.nearest(finite(v, "request body"));
    }
    float[][] vs = new float[(int) a.rows()][dim];
    for (int r = 0; r < vs.length; r++) {
      a.readRow(r, vs[r], 0);
      finite(vs[r], "request body[" + r + "]");
    }
    return q.nearest(vs);
  }

  /**
   * {@code v}, or a 400 naming {@code where} and the index of its first value that is not finite.
   */
  private static float[] finite(float[] v, String where) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new ApiException(
            400,
            "non_finite_value",
            "'" + where + "[" + i + "]' is " + v[i] + "; vector values must be finite");
      }
    }
    return v;
  }
}
