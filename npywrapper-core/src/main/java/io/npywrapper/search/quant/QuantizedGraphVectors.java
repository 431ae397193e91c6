package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;
import io.npywrapper.search.graph.GraphVectors;
import java.util.Objects;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * The int8 codes of a segment as the vectors of a graph index: the graph is built and walked on
 * {@link QuantizedVectors} (a quarter of the float32 bytes), and the best {@value #OVERSAMPLE} x k
 * candidates the walk collects (all of them when it collected fewer) are re-ranked with the exact
 * distance of the float32 row ({@link #exactScores()} is false), read in place by a {@link
 * Reranker}: each query reads that many float32 rows. Thread-safe; the scorers it hands out are
 * not.
 */
public final class QuantizedGraphVectors implements GraphVectors {
  /** Candidates re-ranked per returned row. */
  public static final int OVERSAMPLE = 4;

  private final QuantizedVectors codes;
  private final Reranker exact;

  /**
   * @throws IllegalArgumentException when the codes and the float32 rows differ in metric or shape
   */
  public QuantizedGraphVectors(QuantizedVectors codes, Reranker exact) {
    this.codes = Objects.requireNonNull(codes, "codes");
    this.exact = Objects.requireNonNull(exact, "exact");
    if (codes.metric() != exact.metric() || 4L * codes.dimension() != exact.rowBytes()) {
      throw new IllegalArgumentException(
          "codes ("
              + codes.metric().id()
              + ", dim "
              + codes.dimension()
              + ") do not match the float32 rows ("
              + exact.metric().id()
              + ", dim "
              + exact.rowBytes() / 4
              + ")");
    }
  }

  @Override
  public int size() {
    return codes.size();
  }

  @Override
  public int dim() {
    return codes.dimension();
  }

  @Override
  public Metric metric() {
    return codes.metric();
  }

  @Override
  public RandomVectorScorer queryScorer(float[] query) {
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
