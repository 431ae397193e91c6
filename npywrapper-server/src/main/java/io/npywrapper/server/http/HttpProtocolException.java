package io.npywrapper.server.http;

import java.io.IOException;

/**
 * A request the transport refuses before any handler sees it (malformed request line or header,
 * head too large, unsupported version or transfer coding, bad chunked framing): the status to
 * answer with and a message naming what was wrong. The connection is closed after the answer.
 */
public final class HttpProtocolException extends IOException {
  private final int status;

  public HttpProtocolException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the refusal (400, 408, 413, 414, 431, 501 or 505). */
  public int status() {
    return status;
  }
}
