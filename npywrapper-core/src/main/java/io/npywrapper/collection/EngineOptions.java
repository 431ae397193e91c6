package io.npywrapper.collection;

import java.nio.file.Path;

/**
 * Tuning of a collection engine. Immutable and thread-safe.
 *
 * @param flushRows memtable rows (writes and deletes) that trigger a flush into a segment
 * @param segmentRows target rows per segment for imports and compaction
 * @param refreshMillis how often a snapshot checks the store for other writers' commits
 * @param compactionMillis how often background compaction looks for work; 0 turns it off
 * @param walRoot local directory holding the write-ahead logs and, for a store that is not a local
 *     directory, staged uploads and downloaded segment files; null for the default (the store's own
 *     directory when it is local, else a directory under {@code ~/.npyw/stores/})
 * @param index how graph indexes are built ({@link IndexOptions#defaults()} when null)
 */
public record EngineOptions(
    int flushRows,
    long segmentRows,
    long refreshMillis,
    long compactionMillis,
    Path walRoot,
    IndexOptions index) {
  public static final int DEFAULT_FLUSH_ROWS = 100_000;
  public static final long DEFAULT_SEGMENT_ROWS = 1_000_000;
  public static final long DEFAULT_REFRESH_MILLIS = 100;
  public static final long DEFAULT_COMPACTION_MILLIS = 60_000;

  public EngineOptions {
    if (flushRows < 1) {
      throw new IllegalArgumentException("flushRows must be at least 1, got " + flushRows);
    }
    if (segmentRows < 1 || segmentRows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "segmentRows must be between 1 and " + Integer.MAX_VALUE + ", got " + segmentRows);
    }
    if (refreshMillis < 0 || compactionMillis < 0) {
      throw new IllegalArgumentException("refreshMillis and compactionMillis must not be negative");
    }
    if (index == null) {
      index = IndexOptions.defaults();
    }
  }

  /** Options with the default index settings ({@link IndexOptions#defaults()}). */
  public EngineOptions(
      int flushRows, long segmentRows, long refreshMillis, long compactionMillis, Path walRoot) {
    this(flushRows, segmentRows, refreshMillis, compactionMillis, walRoot, null);
  }

  /**
   * 100,000-row flushes, 1,000,000-row segments, 100 ms refresh, compaction every minute, graph
   * indexes built in the background ({@link IndexOptions#defaults()}).
   */
  public static EngineOptions defaults() {
    return new EngineOptions(
        DEFAULT_FLUSH_ROWS,
        DEFAULT_SEGMENT_ROWS,
        DEFAULT_REFRESH_MILLIS,
        DEFAULT_COMPACTION_MILLIS,
        null,
        IndexOptions.defaults());
  }

  public EngineOptions withFlushRows(int rows) {
    return new EngineOptions(rows, segmentRows, refreshMillis, compactionMillis, walRoot, index);
  }

  public EngineOptions withSegmentRows(long rows) {
    return new EngineOptions(flushRows, rows, refreshMillis, compactionMillis, walRoot, index);
  }

  public EngineOptions withRefreshMillis(long ms) {
    return new EngineOptions(flushRows, segmentRows, ms, compactionMillis, walRoot, index);
  }

  /** Background compaction every {@code ms} milliseconds; 0 turns it off. */
  public EngineOptions withCompactionMillis(long ms) {
    return new EngineOptions(flushRows, segmentRows, refreshMillis, ms, walRoot, index);
  }

  /** These options with {@code options} for graph indexes. */
  public EngineOptions withIndex(IndexOptions options) {
    return new EngineOptions(
        flushRows, segmentRows, refreshMillis, compactionMillis, walRoot, options);
  }

  /**
   * These options with write-ahead logs and local copies of a remote store's files in {@code dir}.
   */
  public EngineOptions withWalRoot(Path dir) {
    return new EngineOptions(flushRows, segmentRows, refreshMillis, compactionMillis, dir, index);
  }
}
