package io.npywrapper.server;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.npywrapper.Database;
import io.npywrapper.security.Security;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * The npyWrapper HTTP server: the JDK's HTTP(S) server answering the API over one open {@link
 * Database}, one virtual thread per request. Every call but {@code /healthz} needs an API key of
 * the database's {@link Security} and works through {@code db.as(caller)}. Readers never wait for
 * writers (queries run on snapshots). {@link #close()} stops accepting, lets requests in flight
 * finish (up to the configured grace) and returns; the database stays open and belongs to the
 * caller.
 *
 * <pre>{@code
 * try (Database db = Database.open("./npyw-data");
 *     NpywServer server = NpywServer.start(db, ServerConfig.defaults())) {
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Loading this class sets the system property {@code sun.net.httpserver.nodelay} to {@code true}
 * (TCP_NODELAY on accepted connections) unless it was already set: the JDK reads it once per JVM,
 * when its first HTTP server is created.
 *
 * <p>Thread-safe.
 */
public final class NpywServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NpywServer.class.getName());

  /** The JDK server's switch for TCP_NODELAY on accepted connections. */
  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes the status line and headers, then the body, in separate writes; with
    // Nagle's algorithm on, a small second write waits for the client's delayed ACK (tens of ms
    // per answer on a kept-alive connection). The JDK reads the switch once, in a static
    // initializer of its ServerConfig, when the first HttpServer of the JVM is created: so set it
    // here, before any server is created, unless the user chose a value with -D.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private final HttpServer http;
  private final ExecutorService executor;
  private final ServerConfig config;
  private final Router router;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private NpywServer(
      HttpServer http, ExecutorService executor, ServerConfig config, Router router) {
    this.http = http;
    this.executor = executor;
    this.config = config;
    this.router = router;
  }

  /**
   * Binds and starts answering.
   *
   * @throws IOException when the address cannot be bound or the TLS key store cannot be loaded
   */
  public static NpywServer start(Database db, ServerConfig config) throws IOException {
    HttpMetrics metrics = new HttpMetrics();
    Router router = routes(db, db.security(), config.limits(), metrics);
    InetSocketAddress addr = new InetSocketAddress(config.bind(), config.port());
    HttpServer http;
    try {
      if (config.tls() != null) {
        HttpsConfigurator tls = new HttpsConfigurator(config.tls().sslContext());
        HttpsServer https = HttpsServer.create(addr, 1024);
        https.setHttpsConfigurator(tls);
        http = https;
      } else {
        http = HttpServer.create(addr, 1024);
      }
    } catch (BindException e) {
      throw new IOException(
          "cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(executor);
    http.createContext("/", router);
    http.start();
    NpywServer s = new NpywServer(http, executor, config, router);
    LOG.info(() -> "npyw server listening on " + s.uri());
    return s;
  }

  /** Every route the server answers, for the OpenAPI document's test. */
  static Router routes(Database db, Security security, Limits limits, HttpMetrics metrics) {
    Router r = new Router(db, new Gate(security), limits, metrics);
    new SystemApi(metrics).register(r);
    new CollectionsApi().register(r);
    new RowsApi().register(r);
    new SearchApi().register(r);
    new VersionsApi().register(r);
    new AdminApi(security).register(r);
    new AuditApi(security).register(r);
    return r;
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:7070}. */
  public URI uri() {
    String host = http.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create((config.tls() != null ? "https" : "http") + "://" + host + ":" + port());
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops accepting connections, answers requests that arrive meanwhile on open connections with a
   * 503, waits up to the shutdown grace for requests in flight, then returns. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    router.drain();
    long graceMillis = config.shutdownGrace().toMillis();
    // HttpServer.stop closes the listener at once, then waits for exchanges; it can count an
    // exchange whose client vanished mid-request until the delay ends, so completion is judged by
    // the router's own count and stop finishes in the background.
    Thread stopper =
        Thread.ofVirtual()
            .name("npyw-server-stop")
            .start(() -> http.stop((int) Math.max(0, (graceMillis + 999) / 1000)));
    long deadline = System.nanoTime() + graceMillis * 1_000_000;
    try {
      while (router.inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      stopper.join(Duration.ofMillis(50));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (router.inFlight() > 0) {
      LOG.warning(router.inFlight() + " request(s) still running after the shutdown grace");
    }
    executor.shutdown();
    LOG.info("npyw server stopped");
    stopped.countDown();
  }
}
