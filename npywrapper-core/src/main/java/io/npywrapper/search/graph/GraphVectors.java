package io.npywrapper.search.graph;

import io.npywrapper.search.Metric;
import java.io.IOException;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * The vectors a graph index links, seen only through scoring: the seam between graph code and
 * vector storage. {@link MappedFloatVectors} scores float32 rows in place in a memory-mapped {@code
 * vectors.npy}; a quantized representation can implement the same interface and the graph walks it
 * unchanged. Scores follow Lucene's convention, higher is closer ({@link Scores}); {@link
 * #distance} gives the exact distance of {@link Metric} for the final ranking. Implementations are
 * thread-safe; the scorers they hand out are not (one per thread).
 */
public interface GraphVectors {
  /** Number of vectors (graph nodes are their ordinals, 0 to size - 1). */
  int size();

  int dim();

  Metric metric();

  /** A scorer of every ordinal against {@code query} (length {@link #dim}). */
  RandomVectorScorer queryScorer(float[] query) throws IOException;

  /** Scorers between stored vectors, for building the graph. */
  RandomVectorScorerSupplier buildScorers() throws IOException;

  /** The exact {@link Metric} distance between {@code query} and vector {@code ord}. */
  float distance(float[] query, int ord);

  /**
   * True when {@link #queryScorer} ranks exactly as {@link #distance} does (full-precision
   * vectors): a search then re-scores only the {@code k} rows it returns. An approximate
   * (quantized) implementation returns false, and the best {@link #rerankCandidates} candidates the
   * walk collected are re-ranked with {@link #distance}.
   */
  default boolean exactScores() {
    return true;
  }

  /**
   * How many of the {@code collected} candidates of a walk (best first by {@link #queryScorer}) are
   * scored with {@link #distance} to pick the {@code k} returned: {@code k} for exact scores, all
   * of them otherwise; a quantized implementation may oversample less than the whole candidate
   * list, since each re-ranked row is a read of the full-precision vectors.
   */
  default int rerankCandidates(int k, int collected) {
    return exactScores() ? Math.min(k, collected) : collected;
  }
}
