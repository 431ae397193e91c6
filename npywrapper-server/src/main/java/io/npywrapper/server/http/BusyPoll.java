package io.npywrapper.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * How a kept-alive connection waits for its client's next request: for up to a short window it
 * polls the socket, giving the processor to any other runnable thread between polls, and only then
 * blocks in {@code read}.
 *
 * <p>Why: a core that goes idle between two searches runs the next one slower (on the 2-core VM of
 * docs/BENCHMARKS.md, a search 12-20% slower after a 50 µs sleep, 25-35% after 200 µs), and a
 * client that sends one query after another leaves the server's core idle for the time of each
 * round trip. Polling through that gap keeps the core awake; with one client sending binary queries
 * it took the HTTP overhead over the embedded API from about 30% to 16% (docs/BENCHMARKS.md,
 * "Polling for the next request").
 *
 * <p>It never takes a processor from a request: a connection polls only while fewer requests are
 * being handled than there are processors, stops as soon as that changes, and at most {@code
 * maxPollers} connections poll at once. Only plain connections on platform threads poll: a TLS
 * socket cannot tell that encrypted bytes are waiting, and a virtual thread that yields hands its
 * carrier to other virtual threads rather than keeping a core awake for itself.
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

  /**
   * Returns when {@code socket} has bytes to read, the window has passed, {@code handling} reaches
   * the processor count or {@code stop} says so; whichever comes first. Returns at once when this
   * thread may not poll. The caller then reads, blocking if nothing has come.
   *
   * @param socket the connection's raw input ({@code available()} is asked, nothing is read)
   * @param handling how many requests the server is handling now
   * @param stop true once the server is stopping
   * @return true if it polled at all (for tests)
   * @throws IOException if the socket fails or is closed meanwhile
   */
  boolean await(InputStream socket, IntSupplier handling, java.util.function.BooleanSupplier stop)
      throws IOException {
    if (windowNanos == 0 || Thread.currentThread().isVirtual() || !free(handling)) {
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
