package io.npywrapper.server;

import io.npywrapper.server.http.Http1Server;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server listens: address, port (0 picks a free one), request limits, optional TLS and how
 * long a shutdown waits for requests in flight. Immutable and thread-safe.
 *
 * @param bind the address to listen on (default 127.0.0.1: loopback only)
 * @param port the TCP port, 0 to 65535
 * @param limits request limits
 * @param tls TLS settings, or null for plain HTTP
 * @param shutdownGrace longest wait for requests in flight when stopping, 0 to 1 hour
 * @param platformThreads connections served by platform threads at once, virtual threads beyond
 *     ({@link io.npywrapper.server.http.ConnectionThreads}); 0 to 10,000, 0 for virtual only
 * @param busyPollMicros how long a connection on a platform thread polls for its client's next
 *     request before blocking ({@link io.npywrapper.server.http.BusyPoll}); 0 to 1,000 µs, 0 off
 */
public record ServerConfig(
    String bind,
    int port,
    Limits limits,
    TlsConfig tls,
    Duration shutdownGrace,
    int platformThreads,
    int busyPollMicros) {
  public static final int DEFAULT_PORT = 7070;

  /**
   * Microseconds a connection polls for the next request unless told otherwise: 50, which took a
   * lone client's overhead over the embedded API down by 6-13 points; a server with more clients
   * than processors stops polling for a while, so its tail latency stays as without
   * (docs/BENCHMARKS.md, "Polling by default, except for a crowded server").
   */
  public static final int DEFAULT_BUSY_POLL_MICROS = 50;

  /** The most {@code busyPollMicros} allowed. */
  public static final int MAX_BUSY_POLL_MICROS = 1_000;

  /** Connections served by platform threads unless told otherwise. */
  public static final int DEFAULT_PLATFORM_THREADS = 256;

  /** The most {@code platformThreads} allowed: one per connection the server keeps open. */
  public static final int MAX_PLATFORM_THREADS = Http1Server.MAX_CONNECTIONS;

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (shutdownGrace.isNegative() || shutdownGrace.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "shutdownGrace must be between 0 and 1 hour, got " + shutdownGrace);
    }
    if (platformThreads < 0 || platformThreads > MAX_PLATFORM_THREADS) {
      throw new IllegalArgumentException(
          "platformThreads must be between 0 and "
              + MAX_PLATFORM_THREADS
              + ", got "
              + platformThreads);
    }
    if (busyPollMicros < 0 || busyPollMicros > MAX_BUSY_POLL_MICROS) {
      throw new IllegalArgumentException(
          "busyPollMicros must be between 0 and "
              + MAX_BUSY_POLL_MICROS
              + ", got "
              + busyPollMicros);
    }
  }

  /**
   * Loopback, port 7070, default limits, plain HTTP, 10 s shutdown grace, 256 connections on
   * platform threads, no polling for the next request.
   */
  public static ServerConfig defaults() {
    return new ServerConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        Limits.DEFAULT,
        null,
        Duration.ofSeconds(10),
        DEFAULT_PLATFORM_THREADS,
        DEFAULT_BUSY_POLL_MICROS);
  }

  public ServerConfig withBind(String address) {
    return new ServerConfig(
        address, port, limits, tls, shutdownGrace, platformThreads, busyPollMicros);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(bind, p, limits, tls, shutdownGrace, platformThreads, busyPollMicros);
  }

  public ServerConfig withLimits(Limits l) {
    return new ServerConfig(bind, port, l, tls, shutdownGrace, platformThreads, busyPollMicros);
  }

  public ServerConfig withTls(TlsConfig t) {
    return new ServerConfig(bind, port, limits, t, shutdownGrace, platformThreads, busyPollMicros);
  }

  public ServerConfig withShutdownGrace(Duration d) {
    return new ServerConfig(bind, port, limits, tls, d, platformThreads, busyPollMicros);
  }

  public ServerConfig withPlatformThreads(int n) {
    return new ServerConfig(bind, port, limits, tls, shutdownGrace, n, busyPollMicros);
  }

  public ServerConfig withBusyPollMicros(int micros) {
    return new ServerConfig(bind, port, limits, tls, shutdownGrace, platformThreads, micros);
  }
}
