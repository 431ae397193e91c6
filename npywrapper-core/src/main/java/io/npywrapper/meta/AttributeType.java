package io.npywrapper.meta;

import java.util.Locale;

/**
 * The type of a row attribute, and how its column is stored in a segment. Immutable and
 * thread-safe.
 */
public enum AttributeType {
  /** UTF-8 text; stored dictionary-encoded (int32 codes + a dictionary). */
  STRING,
  /** 64-bit signed integer; stored as an int64 column. */
  INT64,
  /** 64-bit float; stored as a float64 column. */
  FLOAT64,
  /** true/false; stored as a bool column. */
  BOOL;

  /** The type's name in schemas and manifests: {@code string}, {@code int64}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AttributeType parse(String s) {
    for (AttributeType t : values()) {
      if (t.id().equalsIgnoreCase(s.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown attribute type '" + s + "': expected string, int64, float64 or bool");
  }

  /**
   * Checks and normalizes one value for this type: a String, a whole number (Long), a number
   * (Double) or a Boolean; null stays null.
   *
   * @throws IllegalArgumentException naming the expected type and what came
   */
  public Object coerce(Object v) {
    if (v == null) {
      return null;
    }
    return switch (this) {
      case STRING -> {
        if (v instanceof String s) {
          yield s;
        }
        throw mismatch(v);
      }
      case INT64 -> {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          yield ((Number) v).longValue();
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
          yield d.longValue();
        }
        throw mismatch(v);
      }
      case FLOAT64 -> {
        if (v instanceof Number n) {
          yield n.doubleValue();
        }
        throw mismatch(v);
      }
      case BOOL -> {
        if (v instanceof Boolean b) {
          yield b;
        }
        throw mismatch(v);
      }
    };
  }

  private IllegalArgumentException mismatch(Object v) {
    return new IllegalArgumentException(
        "expected " + id() + ", got " + v.getClass().getSimpleName() + " " + v);
  }
}
