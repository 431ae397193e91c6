package io.npywrapper.collection;

import java.io.Closeable;
import java.lang.System.Logger.Level;

/**
 * Runs {@link SegmentIndexer} for one collection on a daemon thread: once when the collection
 * opens, after every commit that may have added a segment (flush, import, compaction, another
 * writer's commit picked up), and every {@link #POLL_MILLIS} in case of missed signals. A build in
 * progress stops promptly when the collection closes (the graph builder polls for it); what it had
 * written is never referenced and vacuum removes it. Failures are logged and retried at the next
 * round. Thread-safe.
 */
final class BackgroundIndexer implements Closeable {
  private static final System.Logger LOG = System.getLogger(BackgroundIndexer.class.getName());
  static final long POLL_MILLIS = 60_000;

  private final CollectionEngine engine;
  private final Thread thread;
  private boolean nudged = true;
  private volatile boolean stopped;

  BackgroundIndexer(CollectionEngine engine) {
    this.engine = engine;
    this.thread =
        Thread.ofPlatform().daemon().name("npyw-index-" + engine.name()).unstarted(this::loop);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  void start() {
    thread.start();
  }

  /** Asks for a look at the newest version soon. */
  synchronized void nudge() {
    nudged = true;
    notifyAll();
  }

  private void loop() {
    while (true) {
      synchronized (this) {
        long deadline = System.currentTimeMillis() + POLL_MILLIS;
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
        SegmentIndexer.Result r =
            new SegmentIndexer(engine).buildMissing(engine.options().index(), () -> stopped);
        if (r.built() > 0) {
          LOG.log(
              Level.INFO,
              "built {0} graph index(es) of ''{1}'' over {2} rows",
              r.built(),
              engine.name(),
              r.rowsIndexed());
        }
      } catch (IllegalStateException e) {
        return; // the collection was closed
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        LOG.log(Level.WARNING, "background indexing of '" + engine.name() + "' failed", e);
      }
    }
  }

  /** Stops the thread: a build in progress is abandoned and waited for. */
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
