package io.npywrapper.server.http;

import java.io.IOException;

/**
 * The parsed head of one HTTP/1.x request: method, target split into raw path and raw query (still
 * percent-encoded), minor version and header fields. {@link #read} enforces RFC 9112's grammar
 * strictly where leniency invites request smuggling (no whitespace before a field's colon, no line
 * folding, one framing of the body) and bounds every size. Immutable once read.
 *
 * @param method the request method, e.g. {@code GET}
 * @param rawPath the path of the target, percent-encoded, starting with {@code /}
 * @param rawQuery the query of the target without {@code ?}, or null
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
 * @param headers the header fields
 */
public record RequestHead(
    String method, String rawPath, String rawQuery, int minorVersion, Headers headers) {
  /** Longest request line accepted (method, target, version). */
  static final int MAX_REQUEST_LINE = 16 * 1024;

  /** Longest header field line accepted. */
  static final int MAX_FIELD_LINE = 16 * 1024;

  /** Most header fields accepted. */
  static final int MAX_FIELDS = 128;

  /** Most bytes of all header field lines together. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /**
   * Reads the next request head; null when the peer closed the connection before sending a byte of
   * it (or sent only blank lines).
   *
   * @throws HttpProtocolException for a malformed or oversized head
   */
  static RequestHead read(WireInput in) throws IOException {
    String requestLine;
    do { // RFC 9112 2.2: ignore at least one empty line before a request line
      if (!in.await()) {
        return null;
      }
      requestLine = in.line(MAX_REQUEST_LINE, 414, "request line");
    } while (requestLine.isEmpty());
    int sp1 = requestLine.indexOf(' ');
    int sp2 = requestLine.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 == sp1) {
      throw new HttpProtocolException(
          400,
          "malformed request line '" + clip(requestLine) + "': expected METHOD TARGET HTTP/1.1");
    }
    String method = requestLine.substring(0, sp1);
    String target = requestLine.substring(sp1 + 1, sp2);
    String version = requestLine.substring(sp2 + 1);
    if (!isToken(method)) {
      throw new HttpProtocolException(400, "malformed method '" + clip(method) + "'");
    }
    int minor = minorVersion(version);
    String pathAndQuery = pathAndQuery(target);
    if (pathAndQuery.indexOf('#') >= 0) {
      throw new HttpProtocolException(400, "request target holds a fragment ('#')");
    }
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? null : pathAndQuery.substring(q + 1);
    return new RequestHead(method, path, query, minor, fields(in));
  }

  private static Headers fields(WireInput in) throws IOException {
    Headers h = new Headers();
    int count = 0;
    int bytes = 0;
    while (true) {
      String line = in.line(MAX_FIELD_LINE, 431, "header field");
      if (line.isEmpty()) {
        return h;
      }
      bytes += line.length() + 2;
      if (++count > MAX_FIELDS || bytes > MAX_HEAD_BYTES) {
        throw new HttpProtocolException(
            431,
            "request head too large: more than "
                + MAX_FIELDS
                + " header fields or "
                + MAX_HEAD_BYTES
                + " bytes");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw new HttpProtocolException(400, "folded header field lines are not accepted");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw new HttpProtocolException(
            400, "malformed header field '" + clip(line) + "': expected NAME: VALUE");
      }
      h.add(line.substring(0, colon), line.substring(colon + 1).strip());
    }
  }

  private static int minorVersion(String version) throws HttpProtocolException {
    return switch (version) {
      case "HTTP/1.1" -> 1;
      case "HTTP/1.0" -> 0;
      default -> {
        if (version.matches("HTTP/\\d\\.\\d")) {
          throw new HttpProtocolException(
              505, "HTTP version " + version.substring(5) + " is not supported; use HTTP/1.1");
        }
        throw new HttpProtocolException(
            400, "malformed HTTP version '" + clip(version) + "': expected HTTP/1.1");
      }
    };
  }

  /**
   * The path and query of an origin-form ({@code /p?q}) or absolute-form ({@code http://h/p?q})
   * target.
   */
  private static String pathAndQuery(String target) throws HttpProtocolException {
    String t = target;
    if (!t.startsWith("/")) {
      String lower = t.length() > 8 ? t.substring(0, 8).toLowerCase(java.util.Locale.ROOT) : "";
      int scheme = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
      if (scheme < 0) {
        throw new HttpProtocolException(
            400,
            "malformed request target '" + clip(target) + "': expected a path such as /v1/...");
      }
      int slash = t.indexOf('/', scheme);
      int q = t.indexOf('?', scheme);
      t =
          slash < 0 || (q >= 0 && q < slash)
              ? "/" + (q < 0 ? "" : t.substring(q))
              : t.substring(slash);
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new HttpProtocolException(
            400, "request target holds a control, space or non-ASCII character at position " + i);
      }
    }
    return t;
  }

  /** RFC 9110 token: visible ASCII except delimiters. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
