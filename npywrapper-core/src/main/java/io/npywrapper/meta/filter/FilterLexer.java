package io.npywrapper.meta.filter;

import java.util.Locale;

/**
 * Splits filter text into tokens, one at a time, each with its character offsets. Names are ASCII
 * letters, digits and {@code _} (or any text in double quotes, {@code ""} for a quote); strings are
 * single-quoted ({@code ''} for a quote); numbers are decimal with an optional leading {@code -},
 * fraction and exponent. Not thread-safe.
 */
final class FilterLexer {
  enum Kind {
    NAME,
    QUOTED_NAME,
    STRING,
    INTEGER,
    DECIMAL,
    OP,
    LPAREN,
    RPAREN,
    COMMA,
    END
  }

  /**
   * One token: {@code text} is the source text, {@code value} the decoded name, string or number.
   */
  record Token(Kind kind, String text, Object value, int start) {
    /** Whether this is the unquoted keyword {@code word} (given in upper case). */
    boolean is(String word) {
      return kind == Kind.NAME && text.toUpperCase(Locale.ROOT).equals(word);
    }

    boolean isKeyword() {
      return kind == Kind.NAME && FilterText.KEYWORDS.contains(text.toUpperCase(Locale.ROOT));
    }

    /** How an error message names this token. */
    String describe() {
      if (kind == Kind.END) {
        return "the end of the filter";
      }
      String t = text.length() > 40 ? text.substring(0, 37) + "..." : text;
      return kind == Kind.STRING || kind == Kind.QUOTED_NAME ? t : "'" + t + "'";
    }
  }

  private final String text;
  private int pos;

  FilterLexer(String text) {
    this.text = text;
  }

  FilterException error(int offset, String reason) {
    return FilterException.at(text, offset, reason);
  }

  Token next() {
    while (pos < text.length() && isSpace(text.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos == text.length()) {
      return new Token(Kind.END, "", null, start);
    }
    char c = text.charAt(pos);
    if (isNameStart(c)) {
      while (pos < text.length() && isNamePart(text.charAt(pos))) {
        pos++;
      }
      String name = text.substring(start, pos);
      return new Token(Kind.NAME, name, name, start);
    }
    if (c == '-' || c == '.' || isDigit(c)) {
      return number(start);
    }
    return switch (c) {
      case '\'' -> quoted(start, '\'', Kind.STRING, "string");
      case '"' -> quoted(start, '"', Kind.QUOTED_NAME, "quoted name");
      case '(' -> single(Kind.LPAREN, start);
      case ')' -> single(Kind.RPAREN, start);
      case ',' -> single(Kind.COMMA, start);
      case '=' -> op(start, 1);
      case '<' -> op(start, peek(1) == '=' || peek(1) == '>' ? 2 : 1);
      case '>' -> op(start, peek(1) == '=' ? 2 : 1);
      case '!' -> {
        if (peek(1) != '=') {
          throw error(start, "expected '!=', found '!' alone");
        }
        yield op(start, 2);
      }
      default ->
          throw error(
              start,
              "unexpected character "
                  + describeChar(text.codePointAt(start))
                  + ": expected a name, a value, an operator, a parenthesis or a comma");
    };
  }

  private Token single(Kind kind, int start) {
    pos++;
    return new Token(kind, text.substring(start, pos), null, start);
  }

  private Token op(int start, int length) {
    pos += length;
    String op = text.substring(start, pos);
    return new Token(Kind.OP, op, op, start);
  }

  private char peek(int ahead) {
    return pos + ahead < text.length() ? text.charAt(pos + ahead) : '\0';
  }

  private Token quoted(int start, char quote, Kind kind, String what) {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= text.length()) {
        throw error(start, "unterminated " + what + ": expected a closing " + quote);
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        if (pos < text.length() && text.charAt(pos) == quote) {
          sb.append(quote);
          pos++;
        } else {
          return new Token(kind, text.substring(start, pos), sb.toString(), start);
        }
      } else {
        sb.append(c);
      }
    }
  }

  private Token number(int start) {
    if (text.charAt(pos) == '-') {
      pos++;
    }
    int digits = skipDigits();
    boolean decimal = false;
    if (pos < text.length() && text.charAt(pos) == '.') {
      decimal = true;
      pos++;
      digits += skipDigits();
    }
    if (digits == 0) {
      throw error(start, "expected a number, found '" + text.substring(start, pos) + "'");
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      decimal = true;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (skipDigits() == 0) {
        throw error(
            pos, "expected the digits of the exponent in '" + text.substring(start, pos) + "'");
      }
    }
    if (pos < text.length() && (isNamePart(text.charAt(pos)) || text.charAt(pos) == '.')) {
      throw error(
          pos, "unexpected " + describeChar(text.codePointAt(pos)) + " right after a number");
    }
    String s = text.substring(start, pos);
    if (!decimal) {
      try {
        return new Token(Kind.INTEGER, s, Long.parseLong(s), start);
      } catch (NumberFormatException e) {
        throw error(
            start,
            "integer "
                + s
                + " is outside the int64 range [-9223372036854775808, 9223372036854775807]");
      }
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw error(start, "number " + s + " is outside the float64 range");
    }
    return new Token(Kind.DECIMAL, s, d, start);
  }

  private int skipDigits() {
    int n = 0;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
      n++;
    }
    return n;
  }

  private static String describeChar(int cp) {
    return cp >= 0x20 && cp < 0x7f
        ? "'" + (char) cp + "'"
        : String.format(Locale.ROOT, "U+%04X", cp);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || isDigit(c);
  }
}
