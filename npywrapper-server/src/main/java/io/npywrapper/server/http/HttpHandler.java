package io.npywrapper.server.http;

import java.io.IOException;

/**
 * What the {@link Http1Server} calls for each request. Implementations must be thread-safe: each
 * connection's requests are handled on that connection's own thread, many connections at once.
 */
public interface HttpHandler {
  /**
   * Answers {@code exchange} by calling {@link Exchange#send} once. An exception that escapes
   * without an answer closes the connection.
   */
  void handle(Exchange exchange) throws IOException;

  /**
   * Answers a request the transport refused before parsing it fully (see {@link
   * HttpProtocolException}); {@code exchange} knows what of the head could be read. The connection
   * closes after the answer.
   */
  void refuse(Exchange exchange, int status, String message) throws IOException;
}
