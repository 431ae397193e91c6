package io.npywrapper.server.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body of one request as its framing delimits it: nothing, a {@code Content-Length} count of
 * bytes, or chunked transfer coding. Reads never pass the body's end, so the next request on the
 * connection starts where this body ends. Not thread-safe (one per exchange).
 */
abstract sealed class BodyInput extends InputStream
    permits BodyInput.Empty, BodyInput.Fixed, ChunkedInput {

  /** True once every byte of the body has been read. */
  abstract boolean finished();

  /** True when what is left of the body is known to be at most {@code max} bytes. */
  boolean skippable(long max) {
    return finished();
  }

  /**
   * Reads and drops the rest of the body, at most {@code max} bytes.
   *
   * @return true when the body is now finished, false when more than {@code max} bytes remained
   */
  final boolean skipRest(long max) throws IOException {
    byte[] sink = new byte[8192];
    long dropped = 0;
    while (!finished()) {
      if (dropped > max) {
        return false;
      }
      int n = read(sink, 0, sink.length);
      if (n < 0) {
        break;
      }
      dropped += n;
    }
    return finished();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /** No body. */
  static final class Empty extends BodyInput {
    @Override
    boolean finished() {
      return true;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return -1;
    }
  }

  /** A body of a declared length. */
  static final class Fixed extends BodyInput {
    private final WireInput in;
    private long remaining;

    Fixed(WireInput in, long length) {
      this.in = in;
      this.remaining = length;
    }

    @Override
    boolean finished() {
      return remaining == 0;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new java.io.EOFException(
            "connection closed with " + remaining + " bytes of the request body still to come");
      }
      remaining -= n;
      return n;
    }

    @Override
    boolean skippable(long max) {
      return remaining <= max;
    }

    @Override
    public int available() {
      return (int) Math.min(in.available(), remaining);
    }
  }
}
