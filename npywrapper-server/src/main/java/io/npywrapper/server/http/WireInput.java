package io.npywrapper.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The buffered bytes of one connection: CRLF-terminated lines of bounded length for request heads
 * and chunk sizes, and raw bytes for bodies. Reading a line never buffers more than its limit, so a
 * hostile peer cannot make the server hold an unbounded head. Not thread-safe (one per connection).
 */
final class WireInput extends InputStream {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int limit;
  private long deadline = Long.MAX_VALUE;

  WireInput(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /**
   * From now on, a read that would wait on the socket after {@code nanoTime} fails with a 408
   * instead ({@link Long#MAX_VALUE}: no deadline).
   */
  void deadline(long nanoTime) {
    deadline = nanoTime;
  }

  /** True when bytes are buffered (the next read does not touch the socket). */
  boolean buffered() {
    return pos < limit;
  }

  /**
   * Blocks until at least one byte is buffered; false at end of stream.
   *
   * @throws IOException from the socket (a timeout included)
   */
  boolean await() throws IOException {
    if (pos < limit) {
      return true;
    }
    if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
      throw new HttpProtocolException(408, "the request head did not arrive in time");
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /**
   * The next line without its line end (CRLF, or a bare LF as RFC 9112 allows), decoded as
   * ISO-8859-1.
   *
   * @param max the longest line accepted, line end excluded
   * @param tooLong the status to refuse an over-long line with
   * @param what what the line is, for messages ("request line", "header field")
   * @throws EOFException when the stream ends mid-line
   * @throws HttpProtocolException when the line is longer than {@code max} or holds a NUL or a bare
   *     CR
   */
  String line(int max, int tooLong, String what) throws IOException {
    StringBuilder s = null;
    int len = 0;
    while (true) {
      if (!await()) {
        throw new EOFException("connection closed in the middle of a " + what);
      }
      int start = pos;
      while (pos < limit) {
        byte b = buf[pos];
        if (b == '\n') {
          int end = pos;
          pos++;
          String piece = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
          String line = s == null ? piece : s.append(piece).toString();
          if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
            line = line.substring(0, line.length() - 1);
          }
          if (line.length() > max) {
            throw new HttpProtocolException(tooLong, what + " longer than " + max + " bytes");
          }
          check(line, what);
          return line;
        }
        pos++;
        if (++len > max + 1) {
          throw new HttpProtocolException(tooLong, what + " longer than " + max + " bytes");
        }
      }
      if (s == null) {
        s = new StringBuilder();
      }
      s.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
    }
  }

  private static void check(String line, String what) throws HttpProtocolException {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == 0 || c == '\r') {
        throw new HttpProtocolException(
            400, what + " holds a " + (c == 0 ? "NUL" : "bare CR") + " at position " + i);
      }
    }
  }

  @Override
  public int read() throws IOException {
    return await() ? buf[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos < limit) {
      int n = Math.min(len, limit - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
    if (len >= buf.length) {
      return in.read(b, off, len);
    }
    return await() ? read(b, off, len) : -1;
  }

  @Override
  public int available() {
    return limit - pos;
  }
}
