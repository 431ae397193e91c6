package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;
import io.npywrapper.search.graph.GraphVectors;
import java.util.Objects;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * A segment's vectors as a graph index sees them when it is quantized: the walk (and the build)
 * scores the memory-mapped int8 codes of {@link QuantizedVectors}, a quarter of the bytes of the
 * float32 rows, and {@link #distance} is the exact distance from the float32 rows (a {@link
 * GraphVectors} over the segment's {@code vectors.npy}). {@link #exactScores()} is false, so every
 * candidate the walk collects is re-ranked exactly: only the candidates' order comes from the
 * codes. Thread-safe; the scorers it hands out are not. Does not own the codes: the caller closes
 * them.
 */
public final class QuantizedGraphVectors implements GraphVectors {
  /** Candidates re-ranked per returned row. */
  public static final int OVERSAMPLE = 4;

  private final QuantizedVectors codes;
  private final GraphVectors exact;

  /**
   * @param codes the int8 codes of the same rows, in the same order
   * @param exact the float32 rows, for exact distances
   * @throws IllegalArgumentException when the two disagree on row count, dimension or metric
   */
  public QuantizedGraphVectors(QuantizedVectors codes, GraphVectors exact) {
    this.codes = Objects.requireNonNull(codes, "codes");
    this.exact = Objects.requireNonNull(exact, "exact");
    if (codes.size() != exact.size()
        || codes.dimension() != exact.dim()
        || codes.metric() != exact.metric()) {
      throw new IllegalArgumentException(
          "codes of "
              + codes.size()
              + " x "
              + codes.dimension()
              + " ("
              + codes.metric().id()
              + ") do not match vectors of "
              + exact.size()
              + " x "
              + exact.dim()
              + " ("
              + exact.metric().id()
              + ")");
    }
  }

  @Override
  public int size() {
    return exact.size();
  }

  @Override
  public int dim() {
    return exact.dim();
  }

  @Override
  public Metric metric() {
    return exact.metric();
  }

  @Override
  public RandomVectorScorer queryScorer(float[] query) {
    if (query.length != dim()) {
      throw new IllegalArgumentException(
          "query has dimension " + query.length + ", the vectors have " + dim());
    }
    return codes.scorer(query);
  }

  @Override
  public RandomVectorScorerSupplier buildScorers() {
    return codes.scorerSupplier();
  }

  @Override
  public float distance(float[] query, int ord) {
    return exact.distance(query, ord);
  }

  @Override
  public boolean exactScores() {
    return false;
  }

  @Override
  public int rerankCandidates(int k, int collected) {
    return (int) Math.min(collected, (long) k * OVERSAMPLE);
  }
}
