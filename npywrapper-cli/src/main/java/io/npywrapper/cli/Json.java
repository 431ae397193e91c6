package io.npywrapper.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Minimal JSON string quoting for the CLI's one-line outputs. Stateless and thread-safe. */
final class Json {
  private Json() {}

  /** {@code s} as a JSON string literal, escaped per RFC 8259 (by Jackson's encoder). */
  static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }
}
