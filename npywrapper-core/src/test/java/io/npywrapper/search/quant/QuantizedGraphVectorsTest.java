package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import io.npywrapper.search.graph.GraphIndex;
import io.npywrapper.search.graph.HnswGraphIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The graph package's own index, built and searched over int8 codes through GraphVectors. */
class QuantizedGraphVectorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Metric.class)
  void hnswGraphIndexOverCodesReturnsExactDistancesAndTheTrueNeighbours(Metric metric)
      throws Exception {
    long seed = 4242 + metric.ordinal();
    System.out.println("QuantizedGraphVectorsTest seed " + seed);
    int n = 4000;
    int dim = 32;
    float[][] rows = ClusteredData.generate(n, dim, 20, seed);
    Path vf = dir.resolve("vectors.npy");
    NpyWriter.write(vf, rows, WriteOptions.DEFAULT.withoutSync());
    try (NpyArray v = NpyArray.open(vf)) {
      ScalarQuantizer.train(v, metric, TrainingOptions.DEFAULTS)
          .encode(
              v,
              dir.resolve(QuantizedVectors.CODES_FILE),
              dir.resolve(QuantizedVectors.PARAMS_FILE),
              WriteOptions.DEFAULT.withoutSync());
      try (QuantizedVectors codes = QuantizedVectors.open(dir)) {
        QuantizedGraphVectors vectors = new QuantizedGraphVectors(codes, new Reranker(v, metric));
        assertEquals(false, vectors.exactScores());
        Path file = dir.resolve("index.hnsw");
        HnswGraphIndex.build(vectors, 16, 64, 1, 1234L, file, () -> false);
        try (HnswGraphIndex index = HnswGraphIndex.open(file, vectors, 1234L)) {
          Random rnd = new Random(seed);
          int found = 0;
          for (int q = 0; q < 50; q++) {
            float[] query = rows[rnd.nextInt(n)].clone();
            for (int j = 0; j < dim; j++) {
              query[j] += (float) rnd.nextGaussian() * 0.3f;
            }
            GraphIndex.Neighbors nb = index.search(query, 10, 40, null, 0, Long.MAX_VALUE);
            assertEquals(10, nb.rows().length);
            List<ScoredRow> hits = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              assertEquals(metric.distance(query, rows[nb.rows()[i]]), nb.distances()[i], 1e-4f);
              hits.add(new ScoredRow(nb.rows()[i], nb.distances()[i]));
            }
            found += ClusteredData.overlap(ClusteredData.exactTopK(rows, query, metric, 10), hits);
          }
          double recall = found / 500.0;
          System.out.println(metric + " HnswGraphIndex over codes recall@10 " + recall);
          assertTrue(recall >= 0.95, metric + " recall " + recall);
        }
      }
      try (QuantizedVectors codes = QuantizedVectors.open(dir)) {
        Metric other = metric == Metric.L2 ? Metric.DOT : Metric.L2;
        assertThrows(
            IllegalArgumentException.class,
            () -> new QuantizedGraphVectors(codes, new Reranker(v, other)));
      }
    }
  }
}
