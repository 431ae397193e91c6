package io.npywrapper.server;

import io.npywrapper.Database;
import io.npywrapper.security.Security;
import io.npywrapper.server.http.BusyPoll;
import io.npywrapper.server.http.ConnectionThreads;
import io.npywrapper.server.http.Http1Server;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The npyWrapper HTTP server: the API over one open {@link Database}, answered by an {@link
 * Http1Server} that serves each connection on its own virtual thread (read, handle and answer each
 * request on that thread, no hand-off per request). Every call but {@code /healthz} needs an API
 * key of the database's {@link Security} and works through {@code db.as(caller)}. Readers never
 * wait for writers (queries run on snapshots). {@link #close()} stops accepting, lets requests in
 * flight finish (up to the configured grace) and returns; the database stays open and belongs to
 * the caller.
 *
 * <pre>{@code
 * try (Database db = Database.open("./npyw-data");
 *     NpywServer server = NpywServer.start(db, ServerConfig.defaults())) {
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class NpywServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NpywServer.class.getName());

  private final Http1Server http;
  private final ServerConfig config;
  private final Router router;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private NpywServer(Http1Server http, ServerConfig config, Router router) {
    this.http = http;
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
    Http1Server http;
    try {
      http =
          Http1Server.start(
              addr,
              config.tls() == null ? null : config.tls().sslContext(),
              router,
              new ConnectionThreads("npyw-http-", config.platformThreads()),
              BusyPoll.of(config.busyPollMicros()));
    } catch (BindException e) {
      throw new IOException(
          "cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    NpywServer s = new NpywServer(http, config, router);
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
    return http.address().getPort();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:7070}. */
  public URI uri() {
    String host = http.address().getAddress().getHostAddress();
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
    int busy = http.stop(config.shutdownGrace());
    if (busy > 0) {
      LOG.warning(busy + " connection(s) still busy after the shutdown grace");
    }
    LOG.info("npyw server stopped");
    stopped.countDown();
  }
}
