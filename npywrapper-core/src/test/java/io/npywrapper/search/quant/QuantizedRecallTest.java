package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end on one segment: Lucene's HNSW builder and searcher over the int8 codes, then exact
 * re-ranking from the mapped float32 file, against brute-force ground truth.
 */
class QuantizedRecallTest {
  private static final int N = 20_000;
  private static final int DIM = 64;
  private static final int QUERIES = 100;
  private static final int K = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Metric.class)
  void hnswOverCodesWithExactRerankFindsTheTrueNeighbours(Metric metric) throws Exception {
    long seed = 20261125L + metric.ordinal();
    System.out.println("QuantizedRecallTest " + metric + " seed " + seed);
    float[][] rows = ClusteredData.generate(N, DIM, 40, seed);
    Path vectorsFile = dir.resolve("vectors.npy");
    NpyWriter.write(vectorsFile, rows, WriteOptions.DEFAULT.withoutSync());
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      ScalarQuantizer sq = ScalarQuantizer.train(vectors, metric, TrainingOptions.DEFAULTS);
      sq.encode(
          vectors,
          dir.resolve(QuantizedVectors.CODES_FILE),
          dir.resolve(QuantizedVectors.PARAMS_FILE),
          WriteOptions.DEFAULT.withoutSync());
      try (QuantizedVectors codes = QuantizedVectors.open(dir)) {
        codes.verify();
        OnHeapHnswGraph graph =
            HnswGraphBuilder.create(codes.scorerSupplier(), 16, 100, seed).build(codes.size());
        assertEquals(N, graph.size());
        QuantizedSearch search = new QuantizedSearch(codes, new Reranker(vectors, metric));
        Random rnd = new Random(seed + 1);
        int found = 0;
        int foundWithoutRerank = 0;
        for (int q = 0; q < QUERIES; q++) {
          float[] query = rows[rnd.nextInt(N)].clone();
          for (int j = 0; j < DIM; j++) {
            query[j] += (float) rnd.nextGaussian() * 0.3f;
          }
          int[] truth = ClusteredData.exactTopK(rows, query, metric, K);
          QuantizedSearch.Result r = search.search(graph, query, K, 64, 3, null);
          assertEquals(K, r.hits().size());
          assertTrue(r.reranked() >= K && r.reranked() <= 3 * K, "reranked " + r.reranked());
          assertTrue(r.visited() > 0 && r.visited() < N, "visited " + r.visited());
          for (int i = 1; i < K; i++) {
            assertTrue(r.hits().get(i - 1).distance() <= r.hits().get(i).distance());
          }
          ScoredRow first = r.hits().get(0);
          assertEquals(metric.distance(query, rows[first.row()]), first.distance(), 1e-4f, "exact");
          found += ClusteredData.overlap(truth, r.hits());
          QuantizedSearch.Result plain = search.search(graph, query, K, 64, 1, null);
          foundWithoutRerank += ClusteredData.overlap(truth, plain.hits());
        }
        double recall = found / (double) (QUERIES * K);
        System.out.printf(
            "%s recall@10 %.3f (oversample 3), %.3f (oversample 1)%n",
            metric, recall, foundWithoutRerank / (double) (QUERIES * K));
        assertTrue(recall >= 0.95, metric + " recall@10 " + recall);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void rowsOutsideAcceptOrdsAreNeverReturned(Metric metric) throws Exception {
    long seed = 77L + metric.ordinal();
    int n = 3000;
    float[][] rows = ClusteredData.generate(n, 16, 10, seed);
    Path vectorsFile = dir.resolve("vectors.npy");
    NpyWriter.write(vectorsFile, rows, WriteOptions.DEFAULT.withoutSync());
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      ScalarQuantizer sq = ScalarQuantizer.train(vectors, metric, TrainingOptions.DEFAULTS);
      sq.encode(
          vectors,
          dir.resolve(QuantizedVectors.CODES_FILE),
          dir.resolve(QuantizedVectors.PARAMS_FILE),
          WriteOptions.DEFAULT.withoutSync());
      try (QuantizedVectors codes = QuantizedVectors.open(dir)) {
        OnHeapHnswGraph graph =
            HnswGraphBuilder.create(codes.scorerSupplier(), 16, 64, seed).build(n);
        FixedBitSet even = new FixedBitSet(n);
        for (int i = 0; i < n; i += 2) {
          even.set(i);
        }
        QuantizedSearch search = new QuantizedSearch(codes, new Reranker(vectors, metric));
        FixedBitSet sparse = new FixedBitSet(n); // 2% of the rows: Lucene's filtered walk
        for (int i = 0; i < n; i += 50) {
          sparse.set(i);
        }
        for (int q = 0; q < 20; q++) {
          List<ScoredRow> hits = search.search(graph, rows[2 * q + 1], 10, 50, 2, even).hits();
          assertEquals(10, hits.size());
          for (ScoredRow h : hits) {
            assertEquals(0, h.row() % 2, "row " + h.row() + " is not accepted");
          }
          hits =
              search
                  .search(graph, rows[q], 10, 50, 2, sparse, new KnnSearchStrategy.Hnsw(60))
                  .hits();
          assertEquals(10, hits.size());
          for (ScoredRow h : hits) {
            assertEquals(0, h.row() % 50, "row " + h.row() + " is not accepted");
          }
        }
      }
    }
  }
}
