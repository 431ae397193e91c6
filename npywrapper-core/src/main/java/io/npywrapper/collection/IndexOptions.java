package io.npywrapper.collection;

import io.npywrapper.search.graph.GraphParams;

/**
 * How a collection builds its per-segment graph indexes. Immutable and thread-safe.
 *
 * @param m neighbours per graph node (twice that on the bottom level), 2 to 512
 * @param efConstruction candidate list size while building, 1 to 4096
 * @param minRows segments with fewer rows get no index: an exact scan of them is as fast
 * @param threads threads that build one index (1 = on the indexing thread alone)
 * @param background whether a background thread builds missing indexes after flushes, imports and
 *     compactions (otherwise only {@code Collection.buildIndexes()} and {@code npyw index} do)
 * @param quantization what the walk scores: the float32 rows ({@link IndexQuantization#NONE}) or
 *     int8 codes written with the index, re-ranked exactly ({@link IndexQuantization#INT8})
 */
public record IndexOptions(
    int m,
    int efConstruction,
    long minRows,
    int threads,
    boolean background,
    IndexQuantization quantization) {
  public static final long DEFAULT_MIN_ROWS = 10_000;

  public IndexOptions {
    GraphParams.checkM(m);
    GraphParams.checkEfConstruction(efConstruction);
    if (minRows < 1) {
      throw new IllegalArgumentException("minRows must be at least 1, got " + minRows);
    }
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads must be between 1 and 1024, got " + threads);
    }
    java.util.Objects.requireNonNull(quantization, "quantization");
  }

  /** Options for a float32 (unquantized) index. */
  public IndexOptions(int m, int efConstruction, long minRows, int threads, boolean background) {
    this(m, efConstruction, minRows, threads, background, IndexQuantization.NONE);
  }

  /**
   * m 16, efConstruction 200, no index under 10,000 rows, one thread, background on, no
   * quantization.
   */
  public static IndexOptions defaults() {
    return new IndexOptions(
        GraphParams.DEFAULT_M, GraphParams.DEFAULT_EF_CONSTRUCTION, DEFAULT_MIN_ROWS, 1, true);
  }

  public IndexOptions withM(int v) {
    return new IndexOptions(v, efConstruction, minRows, threads, background, quantization);
  }

  public IndexOptions withEfConstruction(int v) {
    return new IndexOptions(m, v, minRows, threads, background, quantization);
  }

  public IndexOptions withMinRows(long v) {
    return new IndexOptions(m, efConstruction, v, threads, background, quantization);
  }

  public IndexOptions withThreads(int v) {
    return new IndexOptions(m, efConstruction, minRows, v, background, quantization);
  }

  public IndexOptions withBackground(boolean v) {
    return new IndexOptions(m, efConstruction, minRows, threads, v, quantization);
  }

  public IndexOptions withQuantization(IndexQuantization v) {
    return new IndexOptions(m, efConstruction, minRows, threads, background, v);
  }
}
