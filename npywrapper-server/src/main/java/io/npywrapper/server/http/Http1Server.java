package io.npywrapper.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A small HTTP/1.1 server: one listening socket (plain or TLS), each accepted connection served
 * from start to end by one thread of the given factory (virtual threads by default), which reads a
 * request, calls the {@link HttpHandler} and writes the answer on the same thread: no hand-off
 * between a selector and workers per request. Persistent connections, {@code Content-Length} and
 * chunked request bodies, {@code Expect: 100-continue}; bounded request heads, idle and read
 * timeouts, a cap on open connections, optional polling for a kept-alive connection's next request
 * ({@link BusyPoll}). {@link #stop} closes the listener and idle connections at once and waits for
 * requests in flight. Thread-safe.
 */
public final class Http1Server implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Http1Server.class.getName());

  /** Open connections beyond this are answered 503 and closed, unless told otherwise. */
  public static final int MAX_CONNECTIONS = 10_000;

  private static final byte[] BUSY = busyAnswer();

  private final ServerSocket listener;
  private final HttpHandler handler;
  private final ThreadFactory threads;
  private final int maxConnections;
  private final BusyPoll busyPoll;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger handling = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean stopping;

  private Http1Server(
      ServerSocket listener,
      HttpHandler handler,
      ThreadFactory threads,
      BusyPoll busyPoll,
      int maxConnections) {
    this.listener = listener;
    this.handler = handler;
    this.threads = threads;
    this.busyPoll = busyPoll;
    this.maxConnections = maxConnections;
    this.acceptor = Thread.ofPlatform().name("npyw-http-accept").unstarted(this::acceptLoop);
  }

  /**
   * Binds {@code address} and starts accepting.
   *
   * @param tls the TLS context, or null for plain HTTP
   * @param threads makes the thread of each connection
   * @param busyPoll how a kept-alive connection waits for its next request
   * @throws IOException when the address cannot be bound
   */
  public static Http1Server start(
      InetSocketAddress address,
      SSLContext tls,
      HttpHandler handler,
      ThreadFactory threads,
      BusyPoll busyPoll)
      throws IOException {
    return start(address, tls, handler, threads, busyPoll, MAX_CONNECTIONS);
  }

  /**
   * As {@link #start(InetSocketAddress, SSLContext, HttpHandler, ThreadFactory, BusyPoll)} with a
   * cap.
   */
  static Http1Server start(
      InetSocketAddress address,
      SSLContext tls,
      HttpHandler handler,
      ThreadFactory threads,
      BusyPoll busyPoll,
      int maxConnections)
      throws IOException {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, got " + maxConnections);
    }
    ServerSocket s =
        tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(address, 1024);
      if (s instanceof SSLServerSocket ssl) {
        ssl.setNeedClientAuth(false);
      }
    } catch (IOException e) {
      s.close();
      throw e;
    }
    Http1Server server = new Http1Server(s, handler, threads, busyPoll, maxConnections);
    server.acceptor.start();
    return server;
  }

  /** The address bound (its port is the one chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** Connections open now. */
  public int openConnections() {
    return open.size();
  }

  /** Requests being read, handled or answered now. */
  public int handlingRequests() {
    return handling.get();
  }

  HttpHandler handler() {
    return handler;
  }

  BusyPoll busyPoll() {
    return busyPoll;
  }

  /** Counts a request from its first byte until its answer is written. */
  void requestStarted() {
    handling.incrementAndGet();
  }

  void requestEnded() {
    handling.decrementAndGet();
  }

  boolean stopping() {
    return stopping;
  }

  void closed(Connection c) {
    open.remove(c);
  }

  private void acceptLoop() {
    while (!stopping) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!stopping) {
          LOG.log(Level.WARNING, "accepting a connection failed", e);
          pause();
        }
        continue;
      }
      if (open.size() >= maxConnections || stopping) {
        refuse(socket);
        continue;
      }
      Connection c = new Connection(socket, this);
      open.add(c);
      try {
        threads.newThread(c).start();
      } catch (RuntimeException | OutOfMemoryError e) {
        open.remove(c);
        LOG.log(Level.WARNING, "cannot start a thread for a connection", e);
        refuse(socket);
      }
    }
  }

  private static void refuse(Socket socket) {
    try (socket) {
      if (!(socket instanceof javax.net.ssl.SSLSocket)) {
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write(BUSY);
        out.flush();
      }
    } catch (IOException e) {
      // the client is gone
    }
  }

  private static byte[] busyAnswer() {
    String body =
        "{\"error\":{\"code\":\"overloaded\",\"message\":\"too many open connections, retry later\"}}";
    return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static void pause() {
    try {
      Thread.sleep(50); // e.g. out of file descriptors: do not spin
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops accepting (the listening socket closes at once), closes connections waiting for a
   * request, lets each request in flight finish and its connection close, waiting up to {@code
   * grace}. Idempotent.
   *
   * @return the connections still busy when the grace ended
   */
  public int stop(Duration grace) {
    stopping = true;
    try {
      listener.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the listener", e);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      acceptor.join(1000); // the listening socket is released when the acceptor leaves accept()
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    do {
      open.removeIf(Connection::closeIfIdle);
      if (open.isEmpty()) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    return open.size();
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
