package io.npywrapper.collection;

import java.io.Closeable;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * Runs {@link SegmentIndexer} for one collection on a {@link BackgroundLoop}: once when the
 * collection opens, after every commit that may have added a segment (flush, import, compaction,
 * another writer's commit picked up), and every {@link #POLL_MILLIS} in case of missed signals. A
 * build in progress stops promptly when the collection closes (the graph builder polls for it);
 * what it had written is never referenced and vacuum removes it. Thread-safe.
 */
final class BackgroundIndexer implements Closeable {
  private static final System.Logger LOG = System.getLogger(BackgroundIndexer.class.getName());
  static final long POLL_MILLIS = 60_000;

  private final CollectionEngine engine;
  private final BackgroundLoop loop;

  BackgroundIndexer(CollectionEngine engine) {
    this.engine = engine;
    this.loop =
        new BackgroundLoop(
                "npyw-index-" + engine.name(),
                POLL_MILLIS,
                true,
                "background indexing of '" + engine.name() + "'",
                this::round)
            .lowPriority();
  }

  void start() {
    loop.start();
  }

  /** Asks for a look at the newest version soon. */
  void nudge() {
    loop.nudge();
  }

  private void round(BooleanSupplier stopped) throws Exception {
    SegmentIndexer.Result r =
        new SegmentIndexer(engine).buildMissing(engine.options().index(), stopped);
    if (r.built() > 0) {
      LOG.log(
          Level.INFO,
          "built {0} graph index(es) of ''{1}'' over {2} rows",
          r.built(),
          engine.name(),
          r.rowsIndexed());
    }
  }

  /** Stops the thread: a build in progress is abandoned and waited for. */
  @Override
  public void close() {
    loop.close();
  }
}
