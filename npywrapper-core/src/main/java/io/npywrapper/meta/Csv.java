package io.npywrapper.meta;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: fields separated by commas, optionally in double quotes (a quote inside
 * doubled; commas and line breaks allowed inside), records ended by LF or CRLF; a final line break
 * is optional. Stateless and thread-safe.
 */
final class Csv {
  private Csv() {}

  /**
   * Appends each record of {@code text} to {@code records} and its first line to {@code starts}.
   */
  static void parse(String text, Path source, List<List<String>> records, List<Long> starts) {
    int i = 0;
    long line = 1;
    int n = text.length();
    if (n > 0 && text.charAt(0) == '\uFEFF') {
      i++; // byte-order mark
    }
    while (i < n) {
      long start = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      while (true) {
        if (i >= n) {
          if (quoted) {
            throw new IllegalArgumentException(
                source + ": line " + start + ": a quoted field is not closed");
          }
          break;
        }
        char c = text.charAt(i++);
        if (quoted) {
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            if (c == '\n') {
              line++;
            }
            field.append(c);
          }
        } else if (c == '"' && field.isEmpty() && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
          wasQuoted = false;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i < n && text.charAt(i) == '\n') {
            i++;
          }
          line++;
          break;
        } else if (wasQuoted) {
          throw new IllegalArgumentException(
              source + ": line " + line + ": unexpected '" + c + "' after a quoted field");
        } else {
          field.append(c);
        }
      }
      fields.add(field.toString());
      records.add(fields);
      starts.add(start);
    }
  }
}
