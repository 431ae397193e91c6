package io.npywrapper.search.graph;

import io.npywrapper.search.Metric;
import java.util.Objects;

/**
 * How a graph index is built: the metric and dimension of its vectors, the number of neighbours
 * kept per node ({@code m}; twice that on the bottom level) and the candidate list size while
 * building ({@code efConstruction}). Immutable and thread-safe.
 *
 * @param metric the collection's metric
 * @param dim vector dimension
 * @param m neighbours per node on the upper levels, 2 to {@value #MAX_M}
 * @param efConstruction candidates considered when linking a node, 1 to {@value
 *     #MAX_EF_CONSTRUCTION}
 */
public record GraphParams(Metric metric, int dim, int m, int efConstruction) {
  public static final int DEFAULT_M = 16;
  public static final int DEFAULT_EF_CONSTRUCTION = 200;
  public static final int MAX_M = 512;
  public static final int MAX_EF_CONSTRUCTION = 4096;

  public GraphParams {
    Objects.requireNonNull(metric, "metric");
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be at least 1, got " + dim);
    }
    checkM(m);
    checkEfConstruction(efConstruction);
  }

  /** Rejects an out-of-range {@code m} with a message naming the bounds. */
  public static int checkM(int m) {
    if (m < 2 || m > MAX_M) {
      throw new IllegalArgumentException("m must be between 2 and " + MAX_M + ", got " + m);
    }
    return m;
  }

  /** Rejects an out-of-range {@code efConstruction} with a message naming the bounds. */
  public static int checkEfConstruction(int ef) {
    if (ef < 1 || ef > MAX_EF_CONSTRUCTION) {
      throw new IllegalArgumentException(
          "efConstruction must be between 1 and " + MAX_EF_CONSTRUCTION + ", got " + ef);
    }
    return ef;
  }
}
