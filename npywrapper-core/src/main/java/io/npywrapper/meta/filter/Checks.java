package io.npywrapper.meta.filter;

import io.npywrapper.meta.Schema;
import io.npywrapper.meta.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Checks and normalizations shared by the constructors of {@link Filter}'s records. Stateless. */
final class Checks {
  private Checks() {}

  static String name(String attribute) {
    return Schema.checkName(attribute);
  }

  static List<Filter> operands(List<Filter> operands, String what) {
    List<Filter> copy = List.copyOf(operands);
    if (copy.size() < 2) {
      throw new IllegalArgumentException(what + " needs at least two operands, got " + copy);
    }
    depth(copy);
    return copy;
  }

  /** Refuses a node over these children if it would be deeper than Filter.MAX_DEPTH. */
  static void depth(List<Filter> children) {
    for (Filter c : children) {
      if (depthOf(c) >= Filter.MAX_DEPTH) {
        throw new IllegalArgumentException(
            "filter nests AND, OR and NOT more than " + Filter.MAX_DEPTH + " levels deep");
      }
    }
  }

  private static int depthOf(Filter f) {
    return switch (f) {
      case Filter.And a -> 1 + maxDepth(a.operands());
      case Filter.Or o -> 1 + maxDepth(o.operands());
      case Filter.Not n -> 1 + depthOf(n.operand());
      default -> 0;
    };
  }

  private static int maxDepth(List<Filter> operands) {
    int max = 0;
    for (Filter f : operands) {
      max = Math.max(max, depthOf(f));
    }
    return max;
  }

  static Object literal(Object v) {
    return switch (v) {
      case null ->
          throw new IllegalArgumentException(
              "a filter value cannot be null: use isNull(attribute) or isNotNull(attribute)");
      case String s -> s;
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case Double d -> finite(d);
      case Float f -> finite(f.doubleValue());
      case Boolean b -> b;
      case Instant t -> Timestamps.truncate(t);
      default ->
          throw new IllegalArgumentException(
              "unsupported filter value "
                  + v.getClass().getSimpleName()
                  + " "
                  + v
                  + ": expected a String, Long, Integer, Double, Boolean or Instant");
    };
  }

  private static Double finite(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("a filter value must be a finite number, got " + d);
    }
    return d;
  }

  static List<Object> literals(List<?> values) {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("IN needs at least one value");
    }
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(literal(v));
    }
    return List.copyOf(out);
  }

  static List<String> tags(List<String> tags) {
    if (tags == null || tags.isEmpty()) {
      throw new IllegalArgumentException("contains needs at least one tag");
    }
    for (String t : tags) {
      if (t == null) {
        throw new IllegalArgumentException("a tag cannot be null: use isNull(attribute)");
      }
    }
    return List.copyOf(tags);
  }
}
