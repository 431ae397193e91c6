package io.npywrapper.collection;

import java.io.Closeable;
import java.lang.System.Logger.Level;

/**
 * Runs {@link Compactor} for one collection on a {@link BackgroundLoop}: every {@code
 * intervalMillis}, and soon after a flush leaves many small segments. Compaction conflicts with
 * concurrent writers are expected and harmless. Thread-safe.
 */
final class BackgroundCompactor implements Closeable {
  private static final System.Logger LOG = System.getLogger(BackgroundCompactor.class.getName());

  /** Small segments after which a flush asks for a compaction without waiting for the timer. */
  static final int SMALL_SEGMENT_TRIGGER = 8;

  private final CollectionEngine engine;
  private final BackgroundLoop loop;

  BackgroundCompactor(CollectionEngine engine, long intervalMillis) {
    this.engine = engine;
    this.loop =
        new BackgroundLoop(
            "npyw-compact-" + engine.name(),
            intervalMillis,
            false,
            "background compaction of '" + engine.name() + "'",
            stopped -> compact());
  }

  void start() {
    loop.start();
  }

  /** Called after a flush: compacts soon if small segments piled up. */
  void afterFlush(Manifest m) {
    int small = Compactor.candidates(m, engine.options().segmentRows()).size();
    if (small >= SMALL_SEGMENT_TRIGGER) {
      loop.nudge();
    }
  }

  private void compact() throws Exception {
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
  }

  /** Stops the thread, waiting for a compaction in progress to finish. */
  @Override
  public void close() {
    loop.close();
  }
}
