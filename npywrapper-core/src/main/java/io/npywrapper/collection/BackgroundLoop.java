package io.npywrapper.collection;

import java.io.Closeable;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * A daemon thread that runs one round of a collection's background work each time it is nudged and
 * at least every {@code intervalMillis}. A failed round is logged and retried at the next one; a
 * round that finds the collection closed ({@link IllegalStateException}) ends the thread. {@link
 * #close} stops it and waits for a round in progress, which can poll the {@code stopped} flag it is
 * given to end early. Thread-safe.
 */
final class BackgroundLoop implements Closeable {
  private static final System.Logger LOG = System.getLogger(BackgroundLoop.class.getName());

  /** One round of work; {@code stopped} turns true when the loop is being closed. */
  @FunctionalInterface
  interface Round {
    void run(BooleanSupplier stopped) throws Exception;
  }

  private final long intervalMillis;
  private final String what;
  private final Round round;
  private final Thread thread;
  private boolean nudged;
  private volatile boolean stopped;

  /**
   * @param threadName the thread's name
   * @param intervalMillis longest wait between rounds
   * @param runAtStart whether the first round runs at once rather than after the interval
   * @param what the work, for log messages ("background compaction of 'c'")
   */
  BackgroundLoop(
      String threadName, long intervalMillis, boolean runAtStart, String what, Round round) {
    this.intervalMillis = intervalMillis;
    this.what = what;
    this.round = round;
    this.nudged = runAtStart;
    this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::loop);
  }

  /** Lowers the thread's priority (before {@link #start}). */
  BackgroundLoop lowPriority() {
    thread.setPriority(Thread.MIN_PRIORITY);
    return this;
  }

  void start() {
    thread.start();
  }

  /** Asks for a round soon. */
  synchronized void nudge() {
    nudged = true;
    notifyAll();
  }

  private void loop() {
    while (true) {
      synchronized (this) {
        long deadline = System.currentTimeMillis() + intervalMillis;
        while (!stopped && !nudged) {
          long wait = deadline - System.currentTimeMillis();
          if (wait <= 0) {
            break;
          }
          try {
            wait(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopped) {
          return;
        }
        nudged = false;
      }
      try {
        round.run(() -> stopped);
      } catch (IllegalStateException e) {
        return; // the collection was closed
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        LOG.log(Level.WARNING, what + " failed", e);
      }
    }
  }

  /** Stops the thread, waiting for a round in progress. */
  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
