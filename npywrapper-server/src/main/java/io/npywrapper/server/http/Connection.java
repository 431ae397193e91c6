package io.npywrapper.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;

/**
 * One client connection, served by one thread from accept to close: reads a request head, frames
 * its body, hands the exchange to the handler, finishes the body so the next request can be read,
 * and loops while both sides keep the connection alive. Requests on one connection are answered in
 * order, one at a time (no pipelining is needed for that: a pipelined request simply waits in the
 * buffer). Between requests it waits as the server's {@link BusyPoll} says: polling briefly, then
 * blocking in {@code read}. Thread-safe only in {@link #closeIfIdle()}, which the server calls from
 * its stopping thread.
 */
final class Connection implements Runnable {
  private static final Logger LOG = Logger.getLogger(Connection.class.getName());

  /** Longest wait for the next request on a kept-alive connection. */
  static final int IDLE_TIMEOUT_MILLIS = 60_000;

  /** Longest wait for any one read inside a request. */
  static final int READ_TIMEOUT_MILLIS = 30_000;

  /** Longest time a whole request head may take to arrive (slow-header clients). */
  static final long HEAD_DEADLINE_NANOS = 30_000_000_000L;

  /** How long a closing connection keeps reading what the client still sends. */
  static final int LINGER_MILLIS = 2_000;

  private static final int IDLE = 0;
  private static final int BUSY = 1;
  private static final int CLOSED = 2;

  private final Socket socket;
  private final Http1Server server;
  private final AtomicInteger state = new AtomicInteger(BUSY);

  Connection(Socket socket, Http1Server server) {
    this.socket = socket;
    this.server = server;
  }

  /** Closes the connection if it is waiting for a request; true if it did. */
  boolean closeIfIdle() {
    if (state.compareAndSet(IDLE, CLOSED)) {
      closeQuietly();
      return true;
    }
    return false;
  }

  @Override
  public void run() {
    try {
      socket.setTcpNoDelay(true);
      InputStream raw = socket.getInputStream();
      serve(raw, new WireInput(raw, 16 * 1024), socket.getOutputStream());
    } catch (SocketTimeoutException | EOFException e) {
      LOG.log(Level.FINE, "connection from {0} timed out or ended mid-request", remote());
    } catch (IOException e) {
      if (state.get() != CLOSED) {
        LOG.log(Level.FINE, "connection from " + remote() + " failed", e);
      }
    } finally {
      state.set(CLOSED);
      closeQuietly();
      server.closed(this);
    }
  }

  private void serve(InputStream raw, WireInput in, OutputStream out) throws IOException {
    boolean poll = !(socket instanceof SSLSocket);
    IntSupplier handling = server::handlingRequests;
    BooleanSupplier stopping = server::stopping;
    // what BusyPoll knows this connection by: small, so that remembering it keeps nothing alive
    Object pollKey = new Object();
    while (!server.stopping()) {
      socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
      state.set(IDLE);
      if (poll && !in.buffered()) {
        server.busyPoll().await(pollKey, raw, handling, stopping);
      }
      if (server.stopping() || !in.await() || !state.compareAndSet(IDLE, BUSY)) {
        return;
      }
      server.requestStarted();
      server.busyPoll().started(pollKey);
      try {
        if (!serveOne(in, out)) {
          return;
        }
      } finally {
        server.requestEnded();
      }
    }
  }

  /** Reads, handles and answers one request; false when the connection must close after it. */
  private boolean serveOne(WireInput in, OutputStream out) throws IOException {
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    Exchange exchange;
    in.deadline(System.nanoTime() + HEAD_DEADLINE_NANOS);
    try {
      RequestHead head = RequestHead.read(in);
      if (head == null) {
        return false;
      }
      exchange = exchange(head, in, out);
    } catch (HttpProtocolException e) {
      refuse(e, out);
      return false;
    } finally {
      in.deadline(Long.MAX_VALUE);
    }
    try {
      server.handler().handle(exchange);
    } catch (HttpProtocolException e) {
      if (exchange.status() == 0) { // bad chunked framing met while the handler read the body
        refuse(e, out);
      }
      return false;
    }
    if (exchange.status() == 0 || !exchange.keepAlive()) {
      linger(exchange.body());
      return false;
    }
    return exchange.body().finished() || exchange.body().skipRest(Exchange.MAX_SKIP);
  }

  private Exchange exchange(RequestHead head, WireInput in, OutputStream out) throws IOException {
    Headers h = head.headers();
    boolean keepAlive = keepAlive(head) && !server.stopping();
    boolean expect = "100-continue".equalsIgnoreCase(h.first("Expect")) && head.minorVersion() > 0;
    return new Exchange(head, body(h, in), out, remote(), keepAlive, expect, server::stopping);
  }

  private static BodyInput body(Headers h, WireInput in) throws HttpProtocolException {
    var te = h.all("Transfer-Encoding");
    var cl = h.all("Content-Length");
    if (!te.isEmpty()) {
      if (!cl.isEmpty()) {
        throw new HttpProtocolException(
            400, "a request may not carry both Transfer-Encoding and Content-Length");
      }
      String coding = String.join(",", te).strip().toLowerCase(Locale.ROOT);
      if (!coding.equals("chunked")) {
        throw new HttpProtocolException(
            501,
            "transfer coding '" + coding + "' is not supported; use chunked or Content-Length");
      }
      return new ChunkedInput(in);
    }
    if (cl.isEmpty()) {
      return new BodyInput.Empty();
    }
    long length = -1;
    for (String v : cl) {
      for (String part : v.split(",", -1)) {
        long n = contentLength(part.strip());
        if (length >= 0 && n != length) {
          throw new HttpProtocolException(400, "conflicting Content-Length values " + cl);
        }
        length = n;
      }
    }
    return length == 0 ? new BodyInput.Empty() : new BodyInput.Fixed(in, length);
  }

  private static long contentLength(String s) throws HttpProtocolException {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new HttpProtocolException(
          400, "invalid Content-Length '" + s + "': expected a non-negative decimal number");
    }
    return Long.parseLong(s);
  }

  private static boolean keepAlive(RequestHead head) {
    String c = head.headers().first("Connection");
    String conn = c == null ? "" : c.toLowerCase(Locale.ROOT);
    return head.minorVersion() > 0 ? !conn.contains("close") : conn.contains("keep-alive");
  }

  private void refuse(HttpProtocolException e, OutputStream out) throws IOException {
    RequestHead unknown = new RequestHead("", "", null, 1, new Headers());
    Exchange ex =
        new Exchange(unknown, new BodyInput.Empty(), out, remote(), false, false, () -> true);
    server.handler().refuse(ex, e.status(), e.getMessage());
    linger(null);
  }

  /**
   * Before closing after an answer, keeps reading (and dropping) what the client still sends for a
   * short while, so the close does not reset the connection before the client has read the answer.
   */
  private void linger(BodyInput unread) {
    if (unread != null && unread.finished()) {
      return;
    }
    try {
      if (!(socket instanceof SSLSocket)) {
        socket.shutdownOutput();
      }
      socket.setSoTimeout(LINGER_MILLIS);
      long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
      byte[] sink = new byte[8192];
      var in = socket.getInputStream();
      while (System.nanoTime() < deadline && in.read(sink) >= 0) {
        // dropped
      }
    } catch (IOException e) {
      // the client is gone: nothing left to protect
    }
  }

  private InetSocketAddress remote() {
    return socket.getRemoteSocketAddress() instanceof InetSocketAddress a ? a : null;
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
