package io.npywrapper.meta.filter;

/**
 * Comparison of attribute values in their evaluation form ({@link Bound.Column#value}): numbers
 * compare exactly across Long and Double (no rounding of large longs), with -0.0 equal to 0.0 and
 * NaN above every number and equal to itself; strings compare by Unicode code point (the order of
 * their UTF-8 bytes, as SQL's binary collation); false is below true. Public so that per-segment
 * statistics and indexes ({@code io.npywrapper.meta.index}) order values exactly as filters do.
 * Stateless.
 */
public final class Values {
  private Values() {}

  /** Negative, zero or positive as {@code a} is below, equal to or above {@code b}. */
  public static int compare(Object a, Object b) {
    return switch (a) {
      case Long x when b instanceof Long y -> Long.compare(x, y);
      case Long x when b instanceof Double y -> compare(x.longValue(), y.doubleValue());
      case Double x when b instanceof Long y -> -compare(y.longValue(), x.doubleValue());
      case Double x when b instanceof Double y -> compare(x.doubleValue(), y.doubleValue());
      case String x when b instanceof String y -> compareCodePoints(x, y);
      case Boolean x when b instanceof Boolean y -> Boolean.compare(x, y);
      default ->
          throw new IllegalStateException("cannot compare " + describe(a) + " with " + describe(b));
    };
  }

  /** Doubles in filter order: -0.0 equals 0.0, NaN is above everything and equals itself. */
  public static int compare(double x, double y) {
    return x == y ? 0 : Double.compare(x, y);
  }

  /** Compares a long with a double exactly. */
  public static int compare(long l, double d) {
    if (Double.isNaN(d) || d >= 0x1p63) {
      return -1;
    }
    if (d < -0x1p63) {
      return 1;
    }
    long t = (long) d; // exact: |d| < 2^63, truncated towards zero
    if (l != t) {
      return Long.compare(l, t);
    }
    double fraction = d - t; // exact (Sterbenz)
    return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** How messages name a literal's kind: string, integer, float, boolean or timestamp. */
  static String describe(Object v) {
    return switch (v) {
      case null -> "null";
      case String s -> "string " + FilterText.string(s);
      case Long l -> "integer " + l;
      case Double d -> "float " + d;
      case Boolean b -> "boolean " + (b ? "TRUE" : "FALSE");
      case java.time.Instant t -> "timestamp " + t;
      default -> v.getClass().getSimpleName() + " " + v;
    };
  }
}
