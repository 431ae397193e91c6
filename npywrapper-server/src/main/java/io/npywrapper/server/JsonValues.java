package io.npywrapper.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the JSON shapes of the API into engine values: vectors (with their position named in
 * every error), ids (all integers or all strings) and attribute rows. Stateless and thread-safe.
 */
final class JsonValues {
  private JsonValues() {}

  /**
   * One vector of {@code dim} float32 values.
   *
   * @param finite reject NaN, infinities and values beyond float32's range
   */
  static float[] vector(JsonNode n, String field, int dim, boolean finite) {
    if (!n.isArray()) {
      throw JsonBody.wrongType(field, "an array of " + dim + " numbers", n);
    }
    if (n.size() != dim) {
      throw new ApiException(
          400,
          "wrong_dimension",
          "'" + field + "' has " + n.size() + " values, the collection's dimension is " + dim);
    }
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      JsonNode e = n.get(i);
      if (!e.isNumber()) {
        throw JsonBody.wrongType(field + "[" + i + "]", "a number", e);
      }
      float f = (float) e.doubleValue();
      if (finite && !Float.isFinite(f)) {
        throw new ApiException(
            400,
            "non_finite_value",
            "'"
                + field
                + "["
                + i
                + "]' is "
                + e.asText()
                + (Double.isFinite(e.doubleValue()) ? " (beyond float32's range)" : "")
                + "; vector values must be finite");
      }
      v[i] = f;
    }
    return v;
  }

  /** An array of vectors, at most {@code max} of them. */
  static float[][] vectors(JsonNode n, String field, int dim, boolean finite, Limits limits) {
    if (!n.isArray()) {
      throw JsonBody.wrongType(field, "an array of vectors", n);
    }
    limits.checkBatch("'" + field + "'", n.size());
    if (n.isEmpty()) {
      throw ApiException.badRequest("'" + field + "' is empty");
    }
    float[][] out = new float[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = vector(n.get(i), field + "[" + i + "]", dim, finite);
    }
    return out;
  }

  /** Ids from an array of integers or of strings. */
  static Ids ids(JsonNode n, String field) {
    if (!n.isArray()) {
      throw JsonBody.wrongType(field, "an array of ids", n);
    }
    if (n.isEmpty()) {
      return Ids.of(new long[0]);
    }
    if (n.get(0).isTextual()) {
      String[] s = new String[n.size()];
      for (int i = 0; i < s.length; i++) {
        JsonNode e = n.get(i);
        if (!e.isTextual()) {
          throw JsonBody.wrongType(field + "[" + i + "]", "a string like the first id", e);
        }
        s[i] = e.textValue();
      }
      try {
        return Ids.of(s);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("'" + field + "': " + e.getMessage());
      }
    }
    long[] l = new long[n.size()];
    for (int i = 0; i < l.length; i++) {
      JsonNode e = n.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToLong()) {
        throw JsonBody.wrongType(field + "[" + i + "]", "an int64 integer like the first id", e);
      }
      l[i] = e.longValue();
    }
    return Ids.of(l);
  }

  /** One attribute map per row; values are strings, numbers, booleans, null or string lists. */
  static List<Map<String, Object>> attributes(JsonNode n, String field) {
    if (!n.isArray()) {
      throw JsonBody.wrongType(field, "an array of objects", n);
    }
    List<Map<String, Object>> rows = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      JsonNode row = n.get(i);
      String where = field + "[" + i + "]";
      if (row.isNull()) {
        rows.add(Map.of());
        continue;
      }
      if (!row.isObject()) {
        throw JsonBody.wrongType(where, "an object", row);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      for (var it = row.fields(); it.hasNext(); ) {
        var e = it.next();
        m.put(e.getKey(), value(e.getValue(), where + "." + e.getKey()));
      }
      rows.add(m);
    }
    return rows;
  }

  /** A JSON id value as the engine's id object: a Long or a String. */
  static Object id(String text, IdType type) {
    if (type == IdType.STRING) {
      return text;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("id '" + text + "' is not an int64 integer");
    }
  }

  private static Object value(JsonNode v, String where) {
    return switch (v.getNodeType()) {
      case NULL -> null;
      case STRING -> v.textValue();
      case BOOLEAN -> v.booleanValue();
      case NUMBER -> {
        if (v.isIntegralNumber()) {
          if (!v.canConvertToLong()) {
            throw ApiException.badRequest("'" + where + "' is beyond the int64 range");
          }
          yield v.longValue();
        }
        yield v.doubleValue();
      }
      case ARRAY -> {
        List<String> list = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
          if (!v.get(i).isTextual()) {
            throw JsonBody.wrongType(
                where + "[" + i + "]", "a string (lists hold strings)", v.get(i));
          }
          list.add(v.get(i).textValue());
        }
        yield list;
      }
      default -> throw JsonBody.wrongType(where, "a string, number, boolean, null or list", v);
    };
  }
}
