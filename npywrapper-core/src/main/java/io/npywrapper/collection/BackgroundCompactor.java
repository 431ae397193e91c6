package io.npywrapper.collection;

import java.io.Closeable;
import java.lang.System.Logger.Level;

/**
 * Runs {@link Compactor} for one collection on a daemon thread: every {@code intervalMillis}, and
 * soon after a flush leaves many small segments. Failures are logged and retried at the next round;
 * compaction conflicts with concurrent writers are expected and harmless. Thread-safe.
 */
final class BackgroundCompactor implements Closeable {
  private static final System.Logger LOG = System.getLogger(BackgroundCompactor.class.getName());

  /** Small segments after which a flush asks for a compaction without waiting for the timer. */
  static final int SMALL_SEGMENT_TRIGGER = 8;

  private final CollectionEngine engine;
  private final long intervalMillis;
  private final Thread thread;
  private boolean nudged;
  private boolean stopped;

  BackgroundCompactor(CollectionEngine engine, long intervalMillis) {
    this.engine = engine;
    this.intervalMillis = intervalMillis;
    this.thread =
        Thread.ofPlatform().daemon().name("npyw-compact-" + engine.name()).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Called after a flush: compacts soon if small segments piled up. */
  void afterFlush(Manifest m) {
    int small = Compactor.candidates(m, engine.options().segmentRows()).size();
    if (small >= SMALL_SEGMENT_TRIGGER) {
      synchronized (this) {
        nudged = true;
        notifyAll();
      }
    }
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
        Compactor.Result r = new Compactor(engine).compact();
        if (r.inputSegments() > 0) {
          LOG.log(
              Level.INFO,
              "compacted {0} segment(s) of ''{1}'' into {2}, version {3}",
              r.inputSegments(),
              engine.name(),
              r.outputSegments(),
              r.version());
        }
      } catch (IllegalStateException e) {
        return; // the collection was closed
      } catch (Exception e) {
        LOG.log(Level.WARNING, "background compaction of '" + engine.name() + "' failed", e);
      }
    }
  }

  /** Stops the thread, waiting for a compaction in progress to finish. */
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
