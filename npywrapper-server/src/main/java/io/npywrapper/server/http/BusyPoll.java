package io.npywrapper.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * from +25-33% to +19-20% (medians of five runs; docs/BENCHMARKS.md, "Polling by default, except
 * for a crowded server").
 *
 * <p>It never takes a processor from a request: a connection polls only while it is the one that
 * began the latest request and fewer requests are being handled than there are processors, stops as
 * soon as either changes, and at most {@code maxPollers} connections poll at once. Nor does it poll
 * for a while ({@code holdMillis}) once more connections than there are processors began requests
 * within that time: their clients then queue for the processors, and a polling connection, always
 * ready to run, would serve its own client ahead of the others' turns. So it works for a few
 * clients, each with a processor to itself, and stays out of the way of many. Only plain
 * connections on platform threads poll: a TLS socket cannot tell that encrypted bytes are waiting,
 * and a virtual thread that yields hands its carrier to other virtual threads rather than keeping a
 * core awake for itself.
 *
 * <p>Thread-safe: one instance serves all of a server's connections.
 */
public final class BusyPoll {
  /** Never polls: every connection blocks in {@code read} at once. */
  public static final BusyPoll OFF = new BusyPoll(0, 0, () -> 0, 0);

  /**
   * How long polling stays off once more connections than processors began requests within that
   * time.
   */
  public static final int CROWDED_HOLD_MILLIS = 100;

  /** How long a processor count read from the supplier is used before it is read again. */
  private static final long PROCESSORS_TTL_NANOS = 1_000_000_000L;

  /** The most connections {@link #started} tells apart, however many processors there are. */
  private static final int MAX_TRACKED = 1_025;

  private final long windowNanos;
  private final int maxPollers;
  private final IntSupplier processors;
  private final long holdNanos;
  private final AtomicInteger polling = new AtomicInteger();
  private final AtomicReference<Start> lastStart = new AtomicReference<>();
  private volatile long crowdedAt;
  private volatile int cpus;
  private volatile long cpusReadAt;

  /** The connections that began requests most recently and when; guarded by {@code ringLock}. */
  private final Object ringLock = new Object();

  private Object[] recent;
  private long[] recentAt;

  /** A connection beginning a request at a time. */
  private record Start(Object connection, long at) {}

  /**
   * @param windowMicros the longest time one connection polls before blocking; 0 for never
   * @param maxPollers connections that may poll at once
   * @param processors how many processors the server may use now (read again every second, as a
   *     container's limit can change; crowding is told for up to 1,024)
   * @param holdMillis how long polling stays off once more connections than processors began
   *     requests within that time
   */
  public BusyPoll(int windowMicros, int maxPollers, IntSupplier processors, int holdMillis) {
    if (windowMicros < 0 || maxPollers < 0 || holdMillis < 0) {
      throw new IllegalArgumentException(
          "windowMicros, maxPollers and holdMillis must be 0 or more, got "
              + windowMicros
              + ", "
              + maxPollers
              + ", "
              + holdMillis);
    }
    this.windowNanos = windowMicros * 1_000L;
    this.maxPollers = maxPollers;
    this.processors = processors;
    this.holdNanos = holdMillis * 1_000_000L;
    long now = System.nanoTime();
    this.crowdedAt = now - holdNanos - 1;
    this.cpus = processors.getAsInt();
    this.cpusReadAt = now;
    this.recent = new Object[0];
    this.recentAt = new long[0];
  }

  /**
   * Polls for up to {@code windowMicros}, with one poller at most, as long as a processor is free,
   * and not for {@link #CROWDED_HOLD_MILLIS} after more connections than processors began requests.
   */
  public static BusyPoll of(int windowMicros) {
    return windowMicros == 0
        ? OFF
        : new BusyPoll(
            windowMicros, 1, Runtime.getRuntime()::availableProcessors, CROWDED_HOLD_MILLIS);
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
   * Notes that {@code connection} began reading a request. When the connection differs from the
   * previous one, counts the connections that began requests within the hold; more than there are
   * processors holds polling off. A client sending one request after another costs one small object
   * and one atomic swap.
   */
  void started(Object connection) {
    if (windowNanos == 0) {
      return;
    }
    long now = System.nanoTime();
    Start previous = lastStart.getAndSet(new Start(connection, now));
    if (previous == null || previous.connection() == connection) {
      return;
    }
    int processorCount = processors(now);
    int active = 0;
    synchronized (ringLock) {
      int size = Math.clamp(processorCount + 1L, 2, MAX_TRACKED);
      if (recent.length < size) {
        recent = Arrays.copyOf(recent, size);
        recentAt = Arrays.copyOf(recentAt, size);
      }
      note(previous.connection(), previous.at());
      note(connection, now);
      for (int i = 0; i < recent.length; i++) {
        if (recent[i] != null && now - recentAt[i] < holdNanos) {
          active++;
        }
      }
    }
    if (active > processorCount) {
      crowdedAt = now;
    }
  }

  /**
   * Records that {@code connection} began a request at {@code at}, replacing the stalest entry;
   * holds {@code ringLock}.
   */
  private void note(Object connection, long at) {
    int stalest = 0;
    for (int i = 0; i < recent.length; i++) {
      if (recent[i] == connection) {
        if (at - recentAt[i] > 0) {
          recentAt[i] = at;
        }
        return;
      }
      if (recent[stalest] != null && (recent[i] == null || recentAt[i] - recentAt[stalest] < 0)) {
        stalest = i;
      }
    }
    recent[stalest] = connection;
    recentAt[stalest] = at;
  }

  private boolean startedLast(Object connection) {
    Start s = lastStart.get();
    return s != null && s.connection() == connection;
  }

  private int processors(long now) {
    if (now - cpusReadAt > PROCESSORS_TTL_NANOS) {
      cpus = processors.getAsInt();
      cpusReadAt = now;
    }
    return cpus;
  }

  /**
   * Returns when {@code socket} has bytes to read, the window has passed, {@code handling} reaches
   * the processor count, another connection begins a request or {@code stop} says so; whichever
   * comes first. Returns at once when this thread may not poll, when the server is crowded (more
   * connections than processors began requests within the hold), or when another connection began a
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
    if (windowNanos == 0 || Thread.currentThread().isVirtual() || !startedLast(connection)) {
      return false;
    }
    long start = System.nanoTime();
    int processorCount = processors(start);
    if (start - crowdedAt < holdNanos || handling.getAsInt() >= processorCount) {
      return false;
    }
    if (polling.incrementAndGet() > maxPollers) {
      polling.decrementAndGet();
      return false;
    }
    try {
      long end = start + windowNanos;
      while (socket.available() == 0
          && System.nanoTime() - end < 0
          && handling.getAsInt() < processorCount
          && startedLast(connection)
          && !stop.getAsBoolean()) {
        Thread.yield();
      }
      return true;
    } finally {
      polling.decrementAndGet();
    }
  }
}
