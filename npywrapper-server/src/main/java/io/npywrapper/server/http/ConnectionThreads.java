package io.npywrapper.server.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that serve the server's connections: a platform thread for each of the first {@code
 * platformLimit} connections open at once, a virtual thread for each one beyond.
 *
 * <p>Why both: a blocking read on a platform thread waits in the kernel and wakes straight into the
 * handler. On a virtual thread the same read returns "would block", registers the socket with the
 * JDK's poller, parks, and is woken by the poller thread, which hands it to a carrier thread: an
 * epoll registration and two thread wake-ups per request instead of one. With the server on one
 * core and four clients each sending one search after another, that cost the server about 10% more
 * CPU time per query (docs/BENCHMARKS.md, "Connections on platform threads"). Virtual threads stay
 * for connections beyond the limit, so thousands of mostly idle connections cost little memory.
 *
 * <p>A slot is taken when {@link #newThread} returns a platform thread and given back when that
 * thread's task ends; a thread that is never started keeps its slot. Thread-safe.
 */
public final class ConnectionThreads implements ThreadFactory {
  private final int platformLimit;
  private final AtomicInteger platformInUse = new AtomicInteger();
  private final ThreadFactory platform;
  private final ThreadFactory virtual;

  /**
   * @param name prefix of the threads' names (a counter is appended)
   * @param platformLimit connections served by platform threads at once; 0 for virtual threads only
   */
  public ConnectionThreads(String name, int platformLimit) {
    if (platformLimit < 0) {
      throw new IllegalArgumentException("platformLimit must be 0 or more, got " + platformLimit);
    }
    this.platformLimit = platformLimit;
    this.platform = Thread.ofPlatform().name(name + "p-", 0).factory();
    this.virtual = Thread.ofVirtual().name(name + "v-", 0).factory();
  }

  @Override
  public Thread newThread(Runnable task) {
    if (platformInUse.incrementAndGet() <= platformLimit) {
      return platform.newThread(
          () -> {
            try {
              task.run();
            } finally {
              platformInUse.decrementAndGet();
            }
          });
    }
    platformInUse.decrementAndGet();
    return virtual.newThread(task);
  }

  /** Platform threads handed out whose task has not ended yet. */
  public int platformThreadsInUse() {
    return platformInUse.get();
  }
}
