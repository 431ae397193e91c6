package io.npywrapper.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * How a kept-alive connection waits for its client's next request: for up to a short window it
 * polls the socket, giving the processor to any other runnable thread between polls, and only then
 * blocks in {@code read}.
 *
 * <p>Why: a core that goes idle between two searches runs the next one slower (on the 2-core VM of
 * docs/BENCHMARKS.md, {@code idle-gap}: a search 9-15% slower after sleeping 50-200 µs than back to
 * back, not slower after polling as long), and a client that sends one query after another leaves
 * the server's core idle for the time of each round trip. Polling through that gap keeps the core
 * awake: with the server on one core and one client, the HTTP overhead over the embedded API went
 * from +25% to +18% (binary bodies) and from +33% to +23% (JSON). The price: with four clients
 * saturating that core, p99 rose from 3.4-3.7 ms to 4.3 ms (docs/BENCHMARKS.md, "Polling for the
 * next request"), which is why servers leave it off unless configured.
 *
 * <p>It never takes a processor from a request: a connection polls only while it is the one that
 * began the latest request and fewer requests are being handled than there are processors, stops as
 * soon as either changes, and at most {@code maxPollers} connections poll at once. So it works for
 * a client on its own and stays out of the way of many. Only plain connections on platform threads
 * poll: a TLS socket cannot tell that encrypted bytes are waiting, and a virtual thread that yields
 * hands its carrier to other virtual threads rather than keeping a core awake for itself.
 *
 * <p>Thread-safe: one instance serves all of a server's connections.
 */
public final class BusyPoll {
  /** Never polls: every connection blocks in {@code read} at once. */
  public static final BusyPoll OFF = new BusyPoll(0, 0, () -> 0);

  private final long windowNanos;
  private final int maxPollers;
  private final IntSupplier processors;
  private final AtomicInteger polling = new AtomicInteger();
  private volatile Object lastStarted;

  /**
   * @param windowMicros the longest time one connection polls before blocking; 0 for never
   * @param maxPollers connections that may poll at once
   * @param processors how many processors the server may use now (read at each wait, as a
   *     container's limit can change)
   */
  public BusyPoll(int windowMicros, int maxPollers, IntSupplier processors) {
    if (windowMicros < 0 || maxPollers < 0) {
      throw new IllegalArgumentException(
          "windowMicros and maxPollers must be 0 or more, got " + windowMicros + ", " + maxPollers);
    }
    this.windowNanos = windowMicros * 1_000L;
    this.maxPollers = maxPollers;
    this.processors = processors;
  }

  /**
   * Polls for up to {@code windowMicros}, with one poller at most, as long as a processor is free.
   */
  public static BusyPoll of(int windowMicros) {
    return windowMicros == 0
        ? OFF
        : new BusyPoll(windowMicros, 1, Runtime.getRuntime()::availableProcessors);
  }

  /** The polling window in microseconds (0: off). */
  public int windowMicros() {
    return (int) (windowNanos / 1_000);
  }

  /** Connections polling now. */
  int polling() {
    return polling.get();
  }

  /** Notes that {@code connection} began reading a request. */
  void started(Object connection) {
    lastStarted = connection;
  }

  /**
   * Returns when {@code socket} has bytes to read, the window has passed, {@code handling} reaches
   * the processor count, another connection begins a request or {@code stop} says so; whichever
   * comes first. Returns at once when this thread may not poll, or when another connection began a
   * request since this one's last began: then clients take turns, and a polling thread, always
   * ready to run, would take its next turn ahead of connections whose requests wait already. The
   * caller then reads, blocking if nothing has come.
   *
   * @param connection the connection waiting, as given to {@link #started}
   * @param socket the connection's raw input ({@code available()} is asked, nothing is read)
   * @param handling how many requests the server is handling now
   * @param stop true once the server is stopping
   * @return true if it polled at all (for tests)
   * @throws IOException if the socket fails or is closed meanwhile
   */
  boolean await(Object connection, InputStream socket, IntSupplier handling, BooleanSupplier stop)
      throws IOException {
    if (windowNanos == 0
        || Thread.currentThread().isVirtual()
        || lastStarted != connection
        || !free(handling)) {
      return false;
    }
    if (polling.incrementAndGet() > maxPollers) {
      polling.decrementAndGet();
      return false;
    }
    try {
      long end = System.nanoTime() + windowNanos;
      while (socket.available() == 0
          && System.nanoTime() - end < 0
          && free(handling)
          && lastStarted == connection
          && !stop.getAsBoolean()) {
        Thread.yield();
      }
      return true;
    } finally {
      polling.decrementAndGet();
    }
  }

  private boolean free(IntSupplier handling) {
    return handling.getAsInt() < processors.getAsInt();
  }
}
