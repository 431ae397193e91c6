package io.npywrapper.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * One request and its answer on a connection: the request's head and body, the answer's header
 * fields, and {@link #send} to answer once with a complete body. Answers carry a {@code
 * Content-Length}; bodies are written in at most two writes (head and body together when small).
 * Not thread-safe (one per request, used by the thread serving its connection).
 */
public final class Exchange {
  /** Bodies up to this size leave in the same write as the head. */
  private static final int COALESCE = 16 * 1024;

  /** Unread request body the connection drops after the answer to stay alive; more closes it. */
  static final long MAX_SKIP = 1 << 20;

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final RequestHead head;
  private final BodyInput body;
  private final OutputStream out;
  private final InetSocketAddress remote;
  private final Headers responseHeaders = new Headers();
  private final BooleanSupplier closing;
  private boolean awaitingContinue;
  private boolean keepAlive;
  private int status;

  Exchange(
      RequestHead head,
      BodyInput body,
      OutputStream out,
      InetSocketAddress remote,
      boolean keepAlive,
      boolean expectContinue,
      BooleanSupplier closing) {
    this.head = head;
    this.body = body;
    this.out = out;
    this.remote = remote;
    this.keepAlive = keepAlive;
    this.awaitingContinue = expectContinue && !body.finished();
    this.closing = closing;
  }

  public String method() {
    return head.method();
  }

  /** The path, still percent-encoded. */
  public String rawPath() {
    return head.rawPath();
  }

  /** The query string without {@code ?}, still percent-encoded, or null. */
  public String rawQuery() {
    return head.rawQuery();
  }

  public Headers requestHeaders() {
    return head.headers();
  }

  /**
   * The request body; reading it past its end returns -1. A client that asked for {@code Expect:
   * 100-continue} is told to send it now.
   *
   * @throws IOException when the interim {@code 100 Continue} answer cannot be sent
   */
  public InputStream requestBody() throws IOException {
    if (awaitingContinue) {
      awaitingContinue = false;
      out.write(CONTINUE);
      out.flush();
    }
    return body;
  }

  /** Header fields of the answer (Content-Type, Content-Length and Connection are set by send). */
  public Headers responseHeaders() {
    return responseHeaders;
  }

  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /** Asks for the connection to close after this answer ({@code Connection: close}). */
  public void closeAfterAnswer() {
    keepAlive = false;
  }

  /** Whether the connection stays open after this answer. */
  boolean keepAlive() {
    return keepAlive;
  }

  /** The status sent, or 0 before {@link #send}. */
  public int status() {
    return status;
  }

  /**
   * Answers with {@code body} (sent without its bytes to a HEAD request).
   *
   * @throws IllegalStateException when this exchange was answered already
   * @throws IOException when the peer went away
   */
  public void send(int status, String contentType, byte[] body) throws IOException {
    if (this.status != 0) {
      throw new IllegalStateException("answered twice: " + this.status + " then " + status);
    }
    this.status = status;
    if (closing.getAsBoolean()) {
      keepAlive = false; // the server is stopping
    }
    if (!this.body.finished() && (awaitingContinue || !this.body.skippable(MAX_SKIP))) {
      // the rest of the body will not be read: the connection cannot carry another request
      keepAlive = false;
    }
    boolean noBody = head.method().equals("HEAD") || status == 204 || status == 304;
    StringBuilder h = new StringBuilder(160);
    h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    if (contentType != null && body.length > 0) {
      h.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (status != 204 && status != 304) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    } else if (head.minorVersion() == 0) {
      h.append("Connection: keep-alive\r\n");
    }
    responseHeaders.forEach(
        (name, value) -> h.append(name).append(": ").append(value).append("\r\n"));
    h.append("\r\n");
    byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (noBody || body.length == 0) {
      out.write(headBytes);
    } else if (body.length <= COALESCE) {
      byte[] all = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, all, 0, headBytes.length);
      System.arraycopy(body, 0, all, headBytes.length, body.length);
      out.write(all);
    } else {
      out.write(headBytes);
      out.write(body);
    }
    out.flush();
  }

  /** The body framing of this request, for the connection to finish reading it. */
  BodyInput body() {
    return body;
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }
}
