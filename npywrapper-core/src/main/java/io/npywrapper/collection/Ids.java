package io.npywrapper.collection;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Row ids of one call: either int64 or strings, never mixed. Immutable and thread-safe. */
public final class Ids {
  /** Longest string id, in characters. */
  public static final int MAX_STRING_ID = 512;

  private final long[] longs;
  private final String[] strings;

  private Ids(long[] longs, String[] strings) {
    this.longs = longs;
    this.strings = strings;
  }

  public static Ids of(long... ids) {
    return new Ids(ids.clone(), null);
  }

  /**
   * String ids.
   *
   * @throws IllegalArgumentException for a null, empty or over-long id, naming its position
   */
  public static Ids of(String... ids) {
    String[] copy = ids.clone();
    for (int i = 0; i < copy.length; i++) {
      String s = copy[i];
      if (s == null || s.isEmpty() || s.length() > MAX_STRING_ID || s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "id at position "
                + i
                + " is "
                + (s == null ? "null" : "'" + s + "'")
                + ": string ids must be 1 to "
                + MAX_STRING_ID
                + " characters without NUL");
      }
    }
    return new Ids(null, copy);
  }

  /** Consecutive int64 ids {@code first, first+1, ...}. */
  public static Ids range(long first, int count) {
    long[] a = new long[count];
    for (int i = 0; i < count; i++) {
      a[i] = first + i;
    }
    return new Ids(a, null);
  }

  public IdType type() {
    return longs != null ? IdType.INT64 : IdType.STRING;
  }

  public int size() {
    return longs != null ? longs.length : strings.length;
  }

  /** The id at {@code i}: a Long or a String. */
  public Object get(int i) {
    return longs != null ? (Object) longs[i] : strings[i];
  }

  public long longAt(int i) {
    return longs[i];
  }

  public String stringAt(int i) {
    return strings[i];
  }

  /**
   * Throws if an id occurs twice, naming both positions.
   *
   * @throws IllegalArgumentException on a duplicate
   */
  public void checkDistinct() {
    Map<Object, Integer> seen = new HashMap<>(size() * 2);
    for (int i = 0; i < size(); i++) {
      Integer prev = seen.putIfAbsent(get(i), i);
      if (prev != null) {
        throw new IllegalArgumentException(
            "duplicate id " + get(i) + " at positions " + prev + " and " + i + " of one batch");
      }
    }
  }

  /** Throws unless these ids have the collection's id type. */
  public void checkType(IdType expected) {
    if (type() != expected && size() > 0) {
      throw new IllegalArgumentException(
          "collection has " + expected.id() + " ids, got " + type().id() + " ids");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ids i && Arrays.equals(i.longs, longs) && Arrays.equals(i.strings, strings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(longs), Arrays.hashCode(strings));
  }

  @Override
  public String toString() {
    return longs != null ? Arrays.toString(longs) : Arrays.toString(strings);
  }
}
