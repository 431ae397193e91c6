package io.npywrapper.server.http;

import java.io.EOFException;
import java.io.IOException;

/**
 * A request body in chunked transfer coding (RFC 9112 7.1): hexadecimal chunk sizes (extensions
 * ignored), the chunks' data, a last chunk of size 0 and optional trailer fields, which are read
 * and dropped. Sizes are bounded (at most 15 hex digits) and every framing error is a 400. Not
 * thread-safe.
 */
final class ChunkedInput extends BodyInput {
  private static final int MAX_SIZE_LINE = 4096;
  private static final int MAX_TRAILER_FIELDS = 64;

  private final WireInput in;
  private long chunkLeft;
  private boolean done;

  ChunkedInput(WireInput in) {
    this.in = in;
  }

  @Override
  boolean finished() {
    return done;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    if (chunkLeft == 0) {
      chunkLeft = nextChunkSize();
      if (chunkLeft == 0) {
        trailers();
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, chunkLeft));
    if (n < 0) {
      throw new EOFException("connection closed in the middle of a chunk of the request body");
    }
    chunkLeft -= n;
    if (chunkLeft == 0) {
      String end = in.line(0, 400, "chunk end");
      if (!end.isEmpty()) {
        throw new HttpProtocolException(400, "chunk data longer than its declared size");
      }
    }
    return n;
  }

  private long nextChunkSize() throws IOException {
    String line = in.line(MAX_SIZE_LINE, 400, "chunk size line");
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
    if (hex.isEmpty() || hex.length() > 15) {
      throw new HttpProtocolException(
          400, "malformed chunk size '" + hex + "': expected 1 to 15 hexadecimal digits");
    }
    long size = 0;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        throw new HttpProtocolException(
            400, "malformed chunk size '" + hex + "': expected hexadecimal digits");
      }
      size = size * 16 + d;
    }
    return size;
  }

  private void trailers() throws IOException {
    for (int i = 0; ; i++) {
      if (i > MAX_TRAILER_FIELDS) {
        throw new HttpProtocolException(431, "more than " + MAX_TRAILER_FIELDS + " trailer fields");
      }
      if (in.line(RequestHead.MAX_FIELD_LINE, 431, "trailer field").isEmpty()) {
        return;
      }
    }
  }
}
