package io.npywrapper.meta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The type of a row attribute, and how its column is stored in a segment (docs/FORMAT.md). Every
 * type is nullable. Immutable and thread-safe.
 */
public enum AttributeType {
  /** UTF-8 text; stored dictionary-encoded (int32 codes + a dictionary). */
  STRING,
  /** 64-bit signed integer; stored as an int64 column. */
  INT64,
  /** 64-bit float; stored as a float64 column. */
  FLOAT64,
  /** true/false; stored as a bool column. */
  BOOL,
  /**
   * An instant with microsecond precision ({@link java.time.Instant}); stored as an int64 column of
   * microseconds since the epoch (see {@link Timestamps}).
   */
  TIMESTAMP,
  /**
   * A list of strings (tags), possibly empty; stored as int64 offsets, flattened int32 codes and a
   * dictionary. An empty list and a null list are different values.
   */
  STRING_LIST;

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
        "unknown attribute type '"
            + s
            + "': expected string, int64, float64, bool, timestamp or string_list");
  }

  /**
   * Checks and normalizes one value for this type; null stays null. The results: STRING a String,
   * INT64 a Long (from any integral number, or a whole Double), FLOAT64 a Double (from any number),
   * BOOL a Boolean, TIMESTAMP an Instant truncated to microseconds (from an Instant or an ISO-8601
   * string, see {@link Timestamps#parse}), STRING_LIST an unmodifiable List of non-null Strings
   * (from a Collection or a String[]).
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
      case TIMESTAMP -> {
        if (v instanceof Instant t) {
          yield Timestamps.truncate(t);
        }
        if (v instanceof String s) {
          yield Timestamps.parse(s);
        }
        throw mismatch(v);
      }
      case STRING_LIST -> stringList(v);
    };
  }

  private List<String> stringList(Object v) {
    Iterable<?> items;
    if (v instanceof Collection<?> c) {
      items = c;
    } else if (v instanceof String[] a) {
      items = Arrays.asList(a);
    } else {
      throw mismatch(v);
    }
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException(
            "expected string_list, got "
                + (o == null ? "null" : o.getClass().getSimpleName() + " " + o)
                + " at position "
                + out.size()
                + " of the list");
      }
      out.add(s);
    }
    return Collections.unmodifiableList(out);
  }

  private IllegalArgumentException mismatch(Object v) {
    String what =
        v.getClass().isArray()
            ? v.getClass().getComponentType().getSimpleName() + "[]"
            : v.getClass().getSimpleName();
    return new IllegalArgumentException("expected " + id() + ", got " + what + " " + v);
  }
}
