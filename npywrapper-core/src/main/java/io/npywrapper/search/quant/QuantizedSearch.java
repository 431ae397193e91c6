package io.npywrapper.search.quant;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;

/**
 * One segment's approximate search: Lucene's {@link HnswGraphSearcher} walks a graph built over the
 * int8 codes, scoring nodes with {@link QuantizedVectors}; the best {@code ceil(k * oversample)}
 * candidates are then re-ranked exactly by a {@link Reranker} over the float32 rows. Rows not in
 * {@code acceptOrds} (deleted or filtered out) are skipped during the walk, never after it.
 *
 * <p>Thread-safe: every call uses its own scorer and collector.
 */
public final class QuantizedSearch {
  private final QuantizedVectors codes;
  private final Reranker reranker;

  /**
   * The outcome of one search.
   *
   * @param hits the nearest rows by exact distance, nearest first, at most k
   * @param visited graph nodes whose codes were scored during the walk
   * @param reranked rows whose float32 vectors were read for re-ranking
   */
  public record Result(List<ScoredRow> hits, long visited, int reranked) {}

  public QuantizedSearch(QuantizedVectors codes, Reranker reranker) {
    if (codes.metric() != reranker.metric()) {
      throw new IllegalArgumentException(
          "codes are for " + codes.metric().id() + ", re-ranking for " + reranker.metric().id());
    }
    this.codes = codes;
    this.reranker = reranker;
  }

  /**
   * Searches {@code graph} (built over these codes, ordinals = rows).
   *
   * @param k how many rows to return
   * @param ef the walk's beam width (at least {@code ceil(k * oversample)} is used)
   * @param oversample how many candidates per result to re-rank, at least 1 (2 to 4 is typical)
   * @param acceptOrds rows that may be returned, or null for all
   */
  public Result search(
      HnswGraph graph, float[] query, int k, int ef, float oversample, Bits acceptOrds)
      throws IOException {
    return search(graph, query, k, ef, oversample, acceptOrds, KnnSearchStrategy.Hnsw.DEFAULT);
  }

  /**
   * As {@link #search(HnswGraph, float[], int, int, float, Bits)} with Lucene's search strategy for
   * filtered walks (for example {@code new KnnSearchStrategy.Hnsw(threshold)}: below that
   * percentage of accepted rows Lucene explores the neighbours of rejected nodes too).
   */
  public Result search(
      HnswGraph graph,
      float[] query,
      int k,
      int ef,
      float oversample,
      Bits acceptOrds,
      KnnSearchStrategy strategy)
      throws IOException {
    if (k < 1 || ef < 1 || !(oversample >= 1)) {
      throw new IllegalArgumentException(
          "need k >= 1, ef >= 1, oversample >= 1; got " + k + ", " + ef + ", " + oversample);
    }
    int candidates = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(k * (double) oversample));
    TopKnnCollector collector =
        new TopKnnCollector(Math.max(ef, candidates), Integer.MAX_VALUE, strategy);
    HnswGraphSearcher.search(codes.scorer(query), collector, graph, acceptOrds);
    TopDocs top = collector.topDocs(); // best first
    int n = Math.min(candidates, top.scoreDocs.length);
    List<ScoredRow> hits = n == 0 ? List.of() : reranker.rerank(query, top, n, k);
    return new Result(hits, collector.visitedCount(), n);
  }
}
