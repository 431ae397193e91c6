package io.npywrapper.meta.filter;

/**
 * A filter that cannot be used: a syntax error in its text (with the position: a 0-based character
 * offset, and the 1-based line and column), or a condition that does not fit the schema (unknown
 * attribute, type mismatch; no position). The message says what was expected and what was found.
 * Immutable and thread-safe.
 */
public final class FilterException extends IllegalArgumentException {
  private final int offset;
  private final int line;
  private final int column;
  private final String reason;

  private FilterException(String message, String reason, int offset, int line, int column) {
    super(message);
    this.reason = reason;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }

  /** A syntax error at character {@code offset} of {@code text}. */
  static FilterException at(String text, int offset, String reason) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = offset - lineStart + 1;
    String where =
        line == 1
            ? "column " + column
            : "line " + line + ", column " + column + " (offset " + offset + ")";
    return new FilterException(
        "filter syntax error at " + where + ": " + reason, reason, offset, line, column);
  }

  /** A filter that parsed but does not fit the schema. */
  static FilterException semantic(String reason) {
    return new FilterException("invalid filter: " + reason, reason, -1, -1, -1);
  }

  /** The 0-based character offset of a syntax error in the filter text, or -1. */
  public int offset() {
    return offset;
  }

  /** The 1-based line of a syntax error, or -1. */
  public int line() {
    return line;
  }

  /** The 1-based column (characters from the line's start) of a syntax error, or -1. */
  public int column() {
    return column;
  }

  /** The message without the position prefix. */
  public String reason() {
    return reason;
  }
}
