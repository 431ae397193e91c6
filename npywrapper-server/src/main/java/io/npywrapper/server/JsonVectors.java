package io.npywrapper.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the vectors of a JSON request body straight from its bytes, without a JSON tree: the
 * top-level {@code "vector"} (one array of numbers) or {@code "vectors"} (an array of such arrays)
 * is parsed into floats, and the rest of the body, with that value replaced by {@code null}, is
 * left to the tree parser. That takes less than half the time of building a tree node per number
 * and reading a double from each (docs/BENCHMARKS.md, "JSON vectors read without a tree").
 *
 * <p>Only well-formed, acceptable vectors are read here: whenever the body is not an object, a
 * field name has an escape or a non-ASCII byte, a value is not a plain JSON number of at most 64
 * characters (NaN and Infinity included) or not finite as a float32, a vector's length is not the
 * collection's dimension, or the batch is empty or over the limit, {@link #split} returns null and
 * the caller parses the whole body as before, so every error message stays the tree parser's. The
 * values equal the tree's bit for bit, {@code (float)} of the double nearest the text: integers are
 * converted from their exact value (so {@code -0} is {@code +0.0}, as an integer node reads it),
 * decimals as {@link #magnitude} says, or by {@link Double#parseDouble} where it cannot be sure.
 * Stateless and thread-safe.
 */
final class JsonVectors {
  /** Exact powers of ten as doubles. */
  private static final double[] POWERS = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  /**
   * The longest number text read here; longer ones (no float needs them) are left to the tree
   * parser, which limits their length.
   */
  private static final int MAX_NUMBER_CHARS = 64;

  private JsonVectors() {}

  /**
   * A body whose vector field was read here.
   *
   * @param rest the body with the field's value replaced by {@code null}
   * @param field {@code "vector"} or {@code "vectors"}
   * @param vectors the vectors read: one for {@code "vector"}, at least one for {@code "vectors"}
   */
  record Split(byte[] rest, String field, float[][] vectors) {}

  /**
   * The body's first top-level {@code "vector"} or {@code "vectors"} read into floats, or null when
   * there is none or it is not read here (see the class comment). The bytes around it are only
   * skipped, not checked: the caller parses the rest, and parses the whole body when the rest does
   * not parse.
   *
   * @param dim the collection's dimension: every vector must have this many values
   * @param maxBatch most vectors {@code "vectors"} may hold
   */
  static Split split(byte[] body, int dim, int maxBatch) {
    Scanner s = new Scanner(body);
    if (s.next() != '{') {
      return null;
    }
    s.pos++;
    if (s.next() == '}') {
      return null;
    }
    while (true) {
      String field = s.fieldName();
      if (field == null || s.next() != ':') {
        return null;
      }
      s.pos++;
      int start = s.skipSpace();
      if (field.equals("vector") || field.equals("vectors")) {
        float[][] vectors = field.equals("vector") ? s.one(dim) : s.many(dim, maxBatch);
        // what follows is left to the tree parser, which reads the rest of the body
        return vectors == null ? null : new Split(replace(body, start, s.pos), field, vectors);
      }
      if (!s.skipValue()) {
        return null;
      }
      int c = s.next();
      if (c != ',') {
        return null;
      }
      s.pos++;
    }
  }

  /** {@code body} with bytes {@code [from, to)} replaced by {@code null}. */
  private static byte[] replace(byte[] body, int from, int to) {
    byte[] out = new byte[body.length - (to - from) + NULL.length];
    System.arraycopy(body, 0, out, 0, from);
    System.arraycopy(NULL, 0, out, from, NULL.length);
    System.arraycopy(body, to, out, from + NULL.length, body.length - to);
    return out;
  }

  /**
   * A cursor over the body. Where the body ends early, or holds what a method does not read, the
   * method returns null, false, -1 or NaN (and may leave the cursor anywhere, even past the end).
   */
  private static final class Scanner {
    private final byte[] b;
    private int pos;

    Scanner(byte[] b) {
      this.b = b;
    }

    /** Skips JSON white space; returns the position reached. */
    int skipSpace() {
      while (pos < b.length) {
        byte c = b[pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          break;
        }
        pos++;
      }
      return pos;
    }

    /** The next byte after white space (0 to 255), not consumed; -1 at the end. */
    int next() {
      skipSpace();
      return pos < b.length ? b[pos] & 0xff : -1;
    }

    /** A field name of plain ASCII without escapes, consumed; null otherwise. */
    String fieldName() {
      if (next() != '"') {
        return null;
      }
      int start = ++pos;
      while (pos < b.length) {
        byte c = b[pos];
        if (c == '"') {
          return new String(b, start, pos++ - start, StandardCharsets.US_ASCII);
        }
        if (c == '\\' || c < 0x20) { // a negative byte is not ASCII
          return null;
        }
        pos++;
      }
      return null;
    }

    /**
     * Skips one value of any kind without checking it (the tree parser checks the rest); false
     * where its end cannot be found.
     */
    boolean skipValue() {
      int depth = 0;
      while (true) {
        int c = next();
        switch (c) {
          case -1 -> {
            return false;
          }
          case '"' -> {
            if (!skipString()) {
              return false;
            }
          }
          case '[', '{' -> {
            depth++;
            pos++;
          }
          case ']', '}' -> {
            if (depth == 0) {
              return false;
            }
            depth--;
            pos++;
          }
          case ',', ':' -> {
            if (depth == 0) {
              return false;
            }
            pos++;
          }
          default -> skipScalar();
        }
        if (depth == 0) {
          return true;
        }
      }
    }

    private boolean skipString() {
      pos++;
      while (pos < b.length) {
        byte c = b[pos++];
        if (c == '\\') {
          pos++;
        } else if (c == '"') {
          return true;
        }
      }
      return false;
    }

    private void skipScalar() {
      while (pos < b.length) {
        byte c = b[pos];
        if (c == ',' || c == ']' || c == '}' || c == ':' || c == '"' || c == '[' || c == '{'
            || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          return;
        }
        pos++;
      }
    }

    /** {@code [v0, v1, ...]} of exactly {@code dim} finite values. */
    float[][] one(int dim) {
      float[] v = vector(dim);
      return v == null ? null : new float[][] {v};
    }

    /** {@code [[...], [...], ...]}: one to {@code maxBatch} vectors of {@code dim} values. */
    float[][] many(int dim, int maxBatch) {
      if (next() != '[') {
        return null;
      }
      pos++;
      List<float[]> out = new ArrayList<>();
      while (true) {
        float[] v = vector(dim);
        if (v == null || out.size() == maxBatch) {
          return null;
        }
        out.add(v);
        int c = next();
        pos++;
        if (c == ']') {
          return out.toArray(float[][]::new);
        }
        if (c != ',') {
          return null;
        }
      }
    }

    private float[] vector(int dim) {
      if (next() != '[') {
        return null;
      }
      pos++;
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) {
        skipSpace();
        float f = number();
        if (!Float.isFinite(f)) { // also the NaN number() returns for a value it does not read
          return null;
        }
        v[i] = f;
        int c = next();
        pos++;
        if (c != (i == dim - 1 ? ']' : ',')) {
          return null;
        }
      }
      return v;
    }

    /**
     * A JSON number ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}) at the cursor,
     * consumed, as the float the tree parser's node gives ({@code (float) node.doubleValue()}); NaN
     * if there is none.
     */
    private float number() {
      byte[] b = this.b;
      int p = pos;
      int start = p;
      boolean negative = p < b.length && b[p] == '-';
      if (negative) {
        p++;
      }
      long digits = 0; // the significant digits (wrong beyond 18 of them, and then not used)
      int significant = 0;
      int scale = 0; // the power of ten the digits are multiplied by
      int from = p;
      byte c;
      while (p < b.length && (c = b[p]) >= '0' && c <= '9') {
        if (significant > 0 || c != '0') {
          significant++;
          digits = digits * 10 + (c - '0');
        }
        p++;
      }
      if (p == from || (b[from] == '0' && p > from + 1)) {
        return Float.NaN; // no digit, or a leading zero
      }
      boolean integer = true;
      if (p < b.length && b[p] == '.') {
        integer = false;
        from = ++p;
        while (p < b.length && (c = b[p]) >= '0' && c <= '9') {
          if (significant > 0 || c != '0') {
            significant++;
            digits = digits * 10 + (c - '0');
          }
          scale--;
          p++;
        }
        if (p == from) {
          return Float.NaN;
        }
      }
      if (p < b.length && (b[p] == 'e' || b[p] == 'E')) {
        integer = false;
        p++;
        boolean negativeExp = p < b.length && b[p] == '-';
        if (p < b.length && (b[p] == '+' || b[p] == '-')) {
          p++;
        }
        from = p;
        int exp = 0;
        while (p < b.length && (c = b[p]) >= '0' && c <= '9') {
          exp = Math.min(exp * 10 + (c - '0'), 100_000);
          p++;
        }
        if (p == from) {
          return Float.NaN;
        }
        scale += negativeExp ? -exp : exp;
      }
      if (p - start > MAX_NUMBER_CHARS) {
        return Float.NaN; // the tree parser's rules for long numbers apply (it refuses > 1,000)
      }
      pos = p;
      float f = Float.NaN;
      if (significant <= 18) { // the digits fit a long exactly
        if (integer) {
          f = (float) (double) (negative ? -digits : digits); // -0 is the integer 0: +0.0
        } else {
          f = magnitude(digits, scale);
          f = negative ? -f : f;
        }
      }
      if (Float.isNaN(f)) {
        String text = new String(b, start, p - start, StandardCharsets.US_ASCII);
        f = (float) Double.parseDouble(text);
      }
      return f;
    }
  }

  /**
   * {@code (float)} of the double nearest {@code digits × 10^scale}, or NaN where this cannot be
   * sure of it without {@link Double#parseDouble}. Exact when the digits fit 53 bits and the power
   * of ten is at most 22 (one correctly rounded operation on exact operands: Clinger). Otherwise,
   * for powers of ten up to 44 either way, the product or quotient is within a few double ulps of
   * the nearest double (at most three roundings, each half an ulp), and a float is returned only if
   * every double within 8 ulps of it rounds to that same float, far from the midpoints between
   * floats where the two could differ.
   */
  private static float magnitude(long digits, int scale) {
    if (digits <= 1L << 53 && scale >= -22 && scale <= 22) {
      return (float) (scale < 0 ? digits / POWERS[-scale] : digits * POWERS[scale]);
    }
    if (scale < -44 || scale > 44) {
      return Float.NaN;
    }
    double d = digits;
    if (scale < 0) {
      d = scale < -22 ? d / POWERS[22] / POWERS[-scale - 22] : d / POWERS[-scale];
    } else {
      d = scale > 22 ? d * POWERS[22] * POWERS[scale - 22] : d * POWERS[scale];
    }
    float f = (float) d;
    if (f == Float.MAX_VALUE || !Float.isFinite(f)) {
      return Float.NaN;
    }
    double margin = 8 * Math.ulp(d);
    double above = ((double) f + Math.nextUp(f)) / 2; // exact: two adjacent floats summed
    double below = ((double) f + Math.nextDown(f)) / 2;
    return d + margin < above && d - margin > below ? f : Float.NaN;
  }
}
