package io.npywrapper.npy;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the Python literal dict of a {@code .npy} header, the subset {@code ast.literal_eval}
 * accepts for a simple array: exactly the keys {@code descr} (a string), {@code fortran_order}
 * ({@code True}/{@code False}) and {@code shape} (a tuple of non-negative ints), in any order, with
 * single or double quotes, optional trailing commas, and (in format 1.0 and 2.0 headers, as numpy
 * allows) the {@code L} suffix old Python 2 writers put on integers. Integers are ASCII digits
 * only, as in Python source. Anything else is rejected with a message giving the position.
 *
 * <p>Work is linear in the text, which {@link NpyHeader} bounds to numpy's header limit.
 */
final class HeaderDict {
  private final String text;
  private final String source;
  private final boolean longSuffix;
  private int pos;

  private String descr;
  private Boolean fortranOrder;
  private long[] shape;

  private HeaderDict(String text, String source, boolean longSuffix) {
    this.text = text;
    this.source = source;
    this.longSuffix = longSuffix;
  }

  /**
   * Parses {@code text}; {@code longSuffix} allows Python 2's {@code 2L}, which numpy accepts in
   * format 1.0 and 2.0 headers only.
   */
  static HeaderDict parse(String text, String source, boolean longSuffix)
      throws NpyFormatException {
    HeaderDict d = new HeaderDict(text, source, longSuffix);
    d.parseDict();
    return d;
  }

  String descr() {
    return descr;
  }

  boolean fortranOrder() {
    return fortranOrder;
  }

  long[] shape() {
    return shape;
  }

  private void parseDict() throws NpyFormatException {
    skipSpace();
    expect('{');
    skipSpace();
    while (peek() != '}') {
      String key = parseString("a quoted key");
      skipSpace();
      expect(':');
      skipSpace();
      switch (key) {
        case "descr" -> {
          checkDuplicate(descr, key);
          if (peek() == '[') {
            throw error("structured dtypes (a list as 'descr') are not supported");
          }
          descr = parseString("the 'descr' string");
        }
        case "fortran_order" -> {
          checkDuplicate(fortranOrder, key);
          fortranOrder = parseBool();
        }
        case "shape" -> {
          checkDuplicate(shape, key);
          shape = parseShape();
        }
        default ->
            throw error(
                "unexpected key '"
                    + key
                    + "': a header has exactly 'descr', 'fortran_order' and 'shape'");
      }
      skipSpace();
      if (peek() == ',') {
        pos++;
        skipSpace();
      } else if (peek() != '}') {
        throw error("expected ',' or '}'" + found());
      }
    }
    pos++;
    skipSpace();
    if (pos != text.length()) {
      throw error("unexpected text after the header dict" + found());
    }
    if (descr == null || fortranOrder == null || shape == null) {
      List<String> missing = new ArrayList<>();
      if (descr == null) {
        missing.add("'descr'");
      }
      if (fortranOrder == null) {
        missing.add("'fortran_order'");
      }
      if (shape == null) {
        missing.add("'shape'");
      }
      throw new NpyFormatException(source, "header dict lacks " + String.join(", ", missing));
    }
  }

  private void checkDuplicate(Object existing, String key) throws NpyFormatException {
    if (existing != null) {
      throw error("key '" + key + "' appears twice");
    }
  }

  private String parseString(String what) throws NpyFormatException {
    char q = peek();
    if (q != '\'' && q != '"') {
      throw error("expected " + what + found());
    }
    int start = ++pos;
    while (pos < text.length() && text.charAt(pos) != q) {
      char c = text.charAt(pos);
      if (c == '\\') {
        throw error("escape sequences are not supported in header strings");
      }
      if (c == '\n') {
        throw error("unterminated string");
      }
      pos++;
    }
    if (pos >= text.length()) {
      throw error("unterminated string");
    }
    return text.substring(start, pos++);
  }

  private boolean parseBool() throws NpyFormatException {
    if (text.startsWith("True", pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith("False", pos)) {
      pos += 5;
      return false;
    }
    throw error("expected True or False for 'fortran_order'" + found());
  }

  private long[] parseShape() throws NpyFormatException {
    expect('(');
    skipSpace();
    List<Long> dims = new ArrayList<>();
    boolean sawComma = false;
    while (peek() != ')') {
      int axis = dims.size();
      dims.add(parseDimension(axis));
      skipSpace();
      if (peek() == ',') {
        pos++;
        sawComma = true;
        skipSpace();
      } else if (peek() != ')') {
        throw error("expected ',' or ')' in 'shape'" + found());
      } else {
        sawComma = false;
      }
    }
    if (dims.size() == 1 && !sawComma) {
      throw error("'shape' (" + dims.get(0) + ") is a number, not a tuple: expected (n,)");
    }
    pos++;
    long[] result = new long[dims.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = dims.get(i);
    }
    return result;
  }

  private long parseDimension(int axis) throws NpyFormatException {
    int start = pos;
    if (peek() == '-') {
      throw error("dimension " + axis + " of 'shape' is negative");
    }
    if (peek() == '+') {
      pos++;
    }
    int digitsStart = pos;
    while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == digitsStart) {
      throw error("expected an integer for dimension " + axis + " of 'shape'" + found());
    }
    String digits = text.substring(digitsStart, pos);
    if (longSuffix && pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
      pos++;
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      pos = start;
      throw error("dimension " + axis + " of 'shape' has a leading zero, not a Python int");
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("dimension " + axis + " of 'shape' (" + digits + ") does not fit in 64 bits");
    }
  }

  /** Python's int literals take only ASCII digits; {@link Character#isDigit} takes any script's. */
  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void expect(char c) throws NpyFormatException {
    if (peek() != c) {
      throw error("expected '" + c + "'" + found());
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String found() {
    if (pos >= text.length()) {
      return ", found the end of the header";
    }
    int end = Math.min(text.length(), pos + 12);
    return ", found '" + printable(text.substring(pos, end)) + "'";
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return sb.toString();
  }

  private NpyFormatException error(String problem) {
    return new NpyFormatException(
        source, "invalid header dict at character " + pos + ": " + problem);
  }
}
