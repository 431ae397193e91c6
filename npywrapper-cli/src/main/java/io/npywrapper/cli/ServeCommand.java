package io.npywrapper.cli;

import io.npywrapper.Database;
import io.npywrapper.security.AuthenticationException;
import io.npywrapper.security.CreatedKey;
import io.npywrapper.server.Limits;
import io.npywrapper.server.NpywServer;
import io.npywrapper.server.ServerConfig;
import io.npywrapper.server.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code npyw serve [--bind 127.0.0.1] [--port 7070]}: bootstraps the store's admin on first start
 * (key from {@code NPYW_ADMIN_KEY} or printed once), runs the HTTP server until SIGTERM or SIGINT,
 * then stops accepting, finishes requests in flight and flushes and closes the database.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the store over HTTP (docs/SERVER.md) until stopped with SIGTERM or Ctrl-C; then"
          + " requests in flight finish and the database is flushed and closed.",
      "Every call but /healthz needs 'Authorization: Bearer <api key>'. On a store's first start"
          + " the user 'admin' is created with the key in env NPYW_ADMIN_KEY, or with a new key"
          + " printed once."
    })
final class ServeCommand extends DatabaseCommand implements Callable<Integer> {
  static final String ADMIN_KEY_ENV = "NPYW_ADMIN_KEY";

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String bind = "127.0.0.1";

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE})")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "serve HTTPS with this PKCS12 key store")
  Path tlsKeystore;

  @Option(
      names = "--tls-password-env",
      paramLabel = "VAR",
      description = "environment variable holding the key store's password")
  String tlsPasswordEnv;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      description = "largest request body (default ${DEFAULT-VALUE})")
  long maxBodyBytes = Limits.DEFAULT.maxBodyBytes();

  @Option(
      names = "--max-batch",
      paramLabel = "N",
      description = "most rows or query vectors per request (default ${DEFAULT-VALUE})")
  int maxBatch = Limits.DEFAULT.maxBatch();

  @Option(
      names = "--max-k",
      paramLabel = "N",
      description = "largest k or limit (default ${DEFAULT-VALUE})")
  int maxK = Limits.DEFAULT.maxK();

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      description =
          "longest wait for requests in flight when stopping, e.g. 10s (default ${DEFAULT-VALUE})")
  String shutdownGrace = "10s";

  @Option(
      names = "--platform-threads",
      paramLabel = "N",
      description =
          "connections served by platform threads at once, virtual threads beyond; 0 for virtual"
              + " threads only (default ${DEFAULT-VALUE})")
  int platformThreads = ServerConfig.DEFAULT_PLATFORM_THREADS;

  @Option(
      names = "--busy-poll-micros",
      paramLabel = "MICROS",
      description =
          "how long a connection polls for its client's next request before sleeping, while a"
              + " processor is free; 0 to 1000, 0 off (default ${DEFAULT-VALUE})")
  int busyPollMicros = ServerConfig.DEFAULT_BUSY_POLL_MICROS;

  @Override
  public Integer call() throws Exception {
    ServerConfig config =
        ServerConfig.defaults()
            .withBind(bind)
            .withPort(port)
            .withLimits(new Limits(maxBodyBytes, maxBatch, maxK))
            .withTls(tls())
            .withShutdownGrace(CompactCommand.parseDuration(shutdownGrace))
            .withPlatformThreads(platformThreads)
            .withBusyPollMicros(busyPollMicros);
    Database db = openDatabase();
    NpywServer server;
    try {
      server =
          NpywServer.start(db, config); // binds and loads TLS first: nothing printed on failure
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
    try {
      bootstrap(db);
    } catch (IOException | RuntimeException e) {
      server.close();
      db.close();
      throw e;
    }
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  try {
                    db.close();
                    out().println("npyw server stopped; database closed");
                  } catch (IOException | RuntimeException e) {
                    err()
                        .println("npyw: error: closing the database failed: " + Errors.describe(e));
                  } finally {
                    out().flush();
                    closed.countDown();
                  }
                },
                "npyw-serve-shutdown"));
    out().println("npyw server listening on " + server.uri() + " (store " + db.uri() + ")");
    out().flush();
    server.awaitStop();
    closed.await();
    return 0;
  }

  /**
   * On a store never bootstrapped, creates user {@code admin} with the key from {@code
   * NPYW_ADMIN_KEY}, or a new key printed once.
   */
  private void bootstrap(Database db) throws IOException {
    Optional<String> fromEnv =
        Optional.ofNullable(System.getenv(ADMIN_KEY_ENV)).filter(s -> !s.isBlank());
    Optional<CreatedKey> created;
    try {
      created = db.security().bootstrap(fromEnv);
    } catch (AuthenticationException e) {
      throw new IllegalArgumentException(ADMIN_KEY_ENV + ": " + e.getMessage(), e);
    }
    if (created.isEmpty()) {
      if (fromEnv.isPresent()) {
        err()
            .println(
                "npyw: note: the store's admin exists already; " + ADMIN_KEY_ENV + " is not used");
      }
      return;
    }
    if (fromEnv.isPresent()) {
      out()
          .println(
              "created user 'admin' with the API key from "
                  + ADMIN_KEY_ENV
                  + " (key id "
                  + created.get().info().id()
                  + ")");
    } else {
      out().println("created user 'admin'; its API key, shown only now:");
      out().println("  " + created.get().token());
    }
  }

  private TlsConfig tls() {
    if (tlsKeystore == null) {
      if (tlsPasswordEnv != null) {
        throw new IllegalArgumentException("--tls-password-env needs --tls-keystore");
      }
      return null;
    }
    if (tlsPasswordEnv == null) {
      throw new IllegalArgumentException(
          "--tls-keystore needs --tls-password-env VAR naming the variable holding its password");
    }
    String password = System.getenv(tlsPasswordEnv);
    if (password == null) {
      throw new IllegalArgumentException(
          "environment variable " + tlsPasswordEnv + " (--tls-password-env) is not set");
    }
    return new TlsConfig(tlsKeystore, password.toCharArray());
  }
}
