package io.npywrapper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to the fields of a JSON request object. Every failure is a 400 naming the field,
 * what was expected and what came; unknown fields are rejected so that a typo never passes
 * silently. Not thread-safe (one per request).
 */
final class JsonBody {
  private final ObjectNode node;

  /** The vector field read ahead of the tree by {@link JsonVectors}, or null. */
  private final JsonVectors.Split read;

  JsonBody(ObjectNode node) {
    this(node, null);
  }

  private JsonBody(ObjectNode node, JsonVectors.Split read) {
    this.node = node;
    this.read = read;
  }

  static JsonBody parse(byte[] body, Set<String> allowed) {
    JsonBody b = new JsonBody(Json.parseObject(body));
    b.checkFields(allowed);
    return b;
  }

  /**
   * Like {@link #parse}, for a body whose top-level {@code "vector"} or {@code "vectors"} holds
   * vectors of {@code dim} values: those are read straight from the bytes ({@link JsonVectors})
   * when they are well formed, so that {@link #vector} and {@link #vectors} need no tree. Any other
   * body, and any body the rest of which does not parse, is parsed by {@link #parse}: the same
   * fields, values and errors either way.
   */
  static JsonBody parseWithVectors(byte[] body, Set<String> allowed, int dim, Limits limits) {
    JsonVectors.Split split = JsonVectors.split(body, dim, limits.maxBatch());
    if (split == null) {
      return parse(body, allowed);
    }
    ObjectNode rest;
    try {
      rest = Json.parseObject(split.rest());
    } catch (ApiException e) { // its line and column would be those of the rest: parse the body
      return parse(body, allowed);
    }
    JsonBody b = new JsonBody(rest, split);
    b.checkFields(allowed);
    return b;
  }

  /**
   * The {@code field} holding one vector of {@code dim} values.
   *
   * @param finite reject NaN, infinities and values beyond float32's range
   */
  float[] vector(String field, int dim, boolean finite) {
    if (isRead(field, dim)) {
      return read.vectors()[0];
    }
    return JsonValues.vector(get(field), field, dim, finite);
  }

  /** The {@code field} holding an array of vectors of {@code dim} values, within the limits. */
  float[][] vectors(String field, int dim, boolean finite, Limits limits) {
    if (isRead(field, dim)) {
      return read.vectors(); // finite and within the limits, or they would not have been read
    }
    return JsonValues.vectors(get(field), field, dim, finite, limits);
  }

  private boolean isRead(String field) {
    return read != null && read.field().equals(field);
  }

  private boolean isRead(String field, int dim) {
    if (!isRead(field)) {
      return false;
    }
    if (read.vectors()[0].length != dim) {
      throw new IllegalStateException(
          "'"
              + field
              + "' was read with "
              + read.vectors()[0].length
              + " values, asked for "
              + dim);
    }
    return true;
  }

  private void checkFields(Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiException.badRequest(
            "unknown field '" + f + "'; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  boolean has(String field) {
    if (isRead(field)) {
      return true;
    }
    JsonNode n = node.get(field);
    return n != null && !n.isNull();
  }

  /** The field's tree node; null when absent or null, and for a vector field read ahead. */
  JsonNode get(String field) {
    JsonNode n = node.get(field);
    return n == null || n.isNull() ? null : n;
  }

  String text(String field) {
    JsonNode n = require(field);
    if (!n.isTextual()) {
      throw wrongType(field, "a string", n);
    }
    return n.textValue();
  }

  String text(String field, String fallback) {
    return has(field) ? text(field) : fallback;
  }

  long integer(String field, long fallback) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode n = node.get(field);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw wrongType(field, "an integer", n);
    }
    return n.longValue();
  }

  long integer(String field) {
    require(field);
    return integer(field, 0);
  }

  /** An integer field that must fit an int in {@code [min, max]}. */
  int intIn(String field, int fallback, int min, int max) {
    long v = integer(field, fallback);
    if (v < min || v > max) {
      throw ApiException.badRequest(
          "'" + field + "' must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  boolean bool(String field, boolean fallback) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode n = node.get(field);
    if (!n.isBoolean()) {
      throw wrongType(field, "true or false", n);
    }
    return n.booleanValue();
  }

  /** A list of strings, or a single string taken as a list of one. */
  List<String> strings(String field) {
    if (!has(field)) {
      return List.of();
    }
    JsonNode n = node.get(field);
    if (n.isTextual()) {
      return List.of(n.textValue());
    }
    if (!n.isArray()) {
      throw wrongType(field, "an array of strings", n);
    }
    List<String> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (!e.isTextual()) {
        throw wrongType(field + "[" + i + "]", "a string", e);
      }
      out.add(e.textValue());
    }
    return out;
  }

  /** An object of string values; a JSON null value is kept as a null (meaning "remove"). */
  Map<String, String> stringMap(String field) {
    if (!has(field)) {
      return new LinkedHashMap<>();
    }
    return stringMap(node.get(field), field);
  }

  static Map<String, String> stringMap(JsonNode n, String field) {
    if (!n.isObject()) {
      throw wrongType(field, "an object", n);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var it = n.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue();
      if (!v.isTextual() && !v.isNull()) {
        throw wrongType(field + "." + e.getKey(), "a string", v);
      }
      out.put(e.getKey(), v.isNull() ? null : v.textValue());
    }
    return out;
  }

  private JsonNode require(String field) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      throw ApiException.badRequest("missing field '" + field + "'");
    }
    return n;
  }

  static ApiException wrongType(String field, String expected, JsonNode got) {
    return ApiException.badRequest(
        "'" + field + "' must be " + expected + ", got " + Json.kind(got));
  }
}
