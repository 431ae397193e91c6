package io.npywrapper.meta.filter;

import java.util.Arrays;
import java.util.Objects;

/**
 * A compiled SQL {@code LIKE} pattern: {@code %} matches any run of characters (also none), {@code
 * _} exactly one character (a Unicode code point), the optional escape character makes the next
 * character literal; everything else matches itself, case-sensitively. Matching takes at most
 * O(pattern × text) steps whatever the pattern (no regular expression, no exponential
 * backtracking). Immutable and thread-safe.
 */
public final class LikePattern {
  private static final int ONE = -1;
  private static final int ANY = -2;

  private final String pattern;
  private final Character escape;
  private final int[] program; // code points, ONE for '_', ANY for a run of '%'

  private LikePattern(String pattern, Character escape, int[] program) {
    this.pattern = pattern;
    this.escape = escape;
    this.program = program;
  }

  /**
   * Compiles {@code pattern}; {@code escape} may be null.
   *
   * @throws IllegalArgumentException if the pattern ends with the escape character
   */
  public static LikePattern compile(String pattern, Character escape) {
    int[] cps = pattern.codePoints().toArray();
    int[] program = new int[cps.length];
    int n = 0;
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (escape != null && c == escape) {
        if (i + 1 == cps.length) {
          throw new IllegalArgumentException(
              "LIKE pattern "
                  + FilterText.string(pattern)
                  + " ends with its escape character '"
                  + escape
                  + "'");
        }
        program[n++] = cps[++i];
      } else if (c == '%') {
        if (n == 0 || program[n - 1] != ANY) {
          program[n++] = ANY;
        }
      } else if (c == '_') {
        program[n++] = ONE;
      } else {
        program[n++] = c;
      }
    }
    return new LikePattern(pattern, escape, Arrays.copyOf(program, n));
  }

  /** Whether {@code s} matches the whole pattern. */
  public boolean matches(String s) {
    int[] text = s.codePoints().toArray();
    int p = 0;
    int i = 0;
    int star = -1; // program index of the last '%' seen
    int resume = 0; // text index that '%' is currently assumed to stretch to
    while (i < text.length) {
      if (p < program.length && (program[p] == ONE || program[p] == text[i])) {
        p++;
        i++;
      } else if (p < program.length && program[p] == ANY) {
        star = p++;
        resume = i;
      } else if (star >= 0) {
        p = star + 1;
        i = ++resume;
      } else {
        return false;
      }
    }
    while (p < program.length && program[p] == ANY) {
      p++;
    }
    return p == program.length;
  }

  public String pattern() {
    return pattern;
  }

  /** The escape character, or null. */
  public Character escape() {
    return escape;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LikePattern l
        && l.pattern.equals(pattern)
        && Objects.equals(l.escape, escape);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode() * 31 + Objects.hashCode(escape);
  }

  @Override
  public String toString() {
    return escape == null
        ? FilterText.string(pattern)
        : FilterText.string(pattern) + " ESCAPE " + FilterText.string(escape.toString());
  }
}
