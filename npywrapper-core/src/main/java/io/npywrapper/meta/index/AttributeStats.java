package io.npywrapper.meta.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Timestamps;
import io.npywrapper.meta.filter.Values;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Statistics of one attribute over one segment's rows, deleted rows included: how many are null,
 * the smallest and largest non-null value, and for string, bool and string_list attributes with at
 * most {@link #MAX_DISTINCT} distinct values (tags, for string lists) the set of them. Values are
 * in the filter's evaluation form ({@link io.npywrapper.meta.filter.Bound.Column#value}): Long,
 * Double, String, Boolean, Long microseconds for timestamps; strings order by code point, doubles
 * with NaN on top. Immutable and thread-safe.
 *
 * @param nulls rows whose value is null
 * @param min smallest non-null value, or null when unknown (all null, a string list, or a string
 *     longer than {@link #MAX_STRING} characters at either end)
 * @param max largest non-null value, or null when unknown
 * @param distinct every distinct non-null value (tag, for string lists), or null when unknown
 */
public record AttributeStats(long nulls, Object min, Object max, Set<Object> distinct) {
  /** Distinct sets are kept up to this size. */
  public static final int MAX_DISTINCT = 64;

  /** Strings longer than this are not recorded as min or max (keeps manifests small). */
  public static final int MAX_STRING = 64;

  public AttributeStats {
    if (distinct != null) {
      TreeSet<Object> sorted = new TreeSet<>(Values::compare);
      sorted.addAll(distinct);
      distinct = Collections.unmodifiableSet(sorted);
    }
  }

  /**
   * Computes the statistics of a column's values, as {@link AttributeType#coerce} gives them (null
   * for a null row).
   */
  public static AttributeStats of(AttributeType type, List<?> values) {
    long nulls = 0;
    Object min = null;
    Object max = null;
    boolean keepDistinct =
        type == AttributeType.STRING
            || type == AttributeType.BOOL
            || type == AttributeType.STRING_LIST;
    Set<Object> distinct = keepDistinct ? new TreeSet<>(Values::compare) : null;
    for (Object raw : values) {
      if (raw == null) {
        nulls++;
        continue;
      }
      if (type == AttributeType.STRING_LIST) {
        if (distinct != null) {
          distinct.addAll((List<?>) raw);
          if (distinct.size() > MAX_DISTINCT) {
            distinct = null;
          }
        }
        continue;
      }
      Object v = raw instanceof Instant t ? Timestamps.toMicros(t) : raw;
      if (min == null || Values.compare(v, min) < 0) {
        min = v;
      }
      if (max == null || Values.compare(v, max) > 0) {
        max = v;
      }
      if (distinct != null && distinct.add(v) && distinct.size() > MAX_DISTINCT) {
        distinct = null;
      }
    }
    if (min instanceof String s && s.length() > MAX_STRING) {
      min = null;
    }
    if (max instanceof String s && s.length() > MAX_STRING) {
      max = null;
    }
    return new AttributeStats(nulls, min, max, distinct);
  }

  /** The JSON object of docs/FORMAT.md: {@code {"nulls", "min", "max", "distinct"}}. */
  public ObjectNode toJson(AttributeType type) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("nulls", nulls);
    if (min != null) {
      n.set("min", encode(type, min));
    }
    if (max != null) {
      n.set("max", encode(type, max));
    }
    if (distinct != null) {
      var a = n.putArray("distinct");
      distinct.forEach(v -> a.add(encode(type, v)));
    }
    return n;
  }

  /**
   * Parses {@link #toJson}'s output.
   *
   * @throws IllegalArgumentException naming the field when a value does not fit the type
   */
  public static AttributeStats fromJson(AttributeType type, JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("statistics must be a JSON object, got " + n);
    }
    JsonNode nulls = n.get("nulls");
    if (nulls == null || !nulls.canConvertToLong() || nulls.asLong() < 0) {
      throw new IllegalArgumentException("statistics need a non-negative \"nulls\", got " + nulls);
    }
    Set<Object> distinct = null;
    JsonNode d = n.get("distinct");
    if (d != null && !d.isNull()) {
      if (!d.isArray()) {
        throw new IllegalArgumentException("\"distinct\" must be an array, got " + d);
      }
      distinct = new TreeSet<>(Values::compare);
      AttributeType element = type == AttributeType.STRING_LIST ? AttributeType.STRING : type;
      for (JsonNode v : d) {
        distinct.add(decode(element, v, "distinct"));
      }
    }
    return new AttributeStats(
        nulls.asLong(),
        decode(type, n.get("min"), "min"),
        decode(type, n.get("max"), "max"),
        distinct);
  }

  private static JsonNode encode(AttributeType type, Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (v) {
      case Long l when type == AttributeType.TIMESTAMP ->
          f.textNode(Timestamps.ofMicros(l).toString());
      case Long l -> f.numberNode(l);
      case Double x when Double.isFinite(x) -> f.numberNode(x);
      case Double x -> f.textNode(x.toString()); // NaN, Infinity, -Infinity
      case Boolean b -> f.booleanNode(b);
      case String s -> f.textNode(s);
      default -> throw new IllegalStateException("no JSON form for " + v);
    };
  }

  private static Object decode(AttributeType type, JsonNode v, String field) {
    if (v == null || v.isNull()) {
      return null;
    }
    boolean ok =
        switch (type) {
          case INT64 -> v.isIntegralNumber() && v.canConvertToLong();
          case FLOAT64 ->
              v.isNumber()
                  || (v.isTextual()
                      && List.of("NaN", "Infinity", "-Infinity").contains(v.asText()));
          case BOOL -> v.isBoolean();
          case STRING, STRING_LIST, TIMESTAMP -> v.isTextual();
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "\"" + field + "\" of a " + type.id() + " attribute cannot be " + v);
    }
    return switch (type) {
      case INT64 -> v.asLong();
      case FLOAT64 -> v.isTextual() ? Double.valueOf(v.asText()) : (Object) v.asDouble();
      case BOOL -> v.asBoolean();
      case STRING, STRING_LIST -> v.asText();
      case TIMESTAMP -> Timestamps.toMicros(Timestamps.parse(v.asText()));
    };
  }
}
