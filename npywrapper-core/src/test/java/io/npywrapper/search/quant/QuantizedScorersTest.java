package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Lucene adapters score exactly what the prepared queries compute. */
class QuantizedScorersTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Metric.class)
  void buildScorerOfARowEqualsAQueryScorerOfItsDecodedVector(Metric metric) throws Exception {
    long seed = 314 + metric.ordinal();
    System.out.println("QuantizedScorersTest seed " + seed);
    float[][] rows = ClusteredData.generate(500, 45, 4, seed);
    Path vf = dir.resolve("vectors.npy");
    NpyWriter.write(vf, rows, WriteOptions.DEFAULT.withoutSync());
    try (NpyArray v = NpyArray.open(vf)) {
      ScalarQuantizer.train(v, metric, TrainingOptions.DEFAULTS)
          .encode(
              v,
              dir.resolve(QuantizedVectors.CODES_FILE),
              dir.resolve(QuantizedVectors.PARAMS_FILE),
              WriteOptions.DEFAULT.withoutSync());
    }
    try (QuantizedVectors codes = QuantizedVectors.open(dir)) {
      RandomVectorScorerSupplier supplier = codes.scorerSupplier();
      UpdateableRandomVectorScorer build = supplier.copy().scorer();
      assertEquals(500, build.maxOrd());
      Random rnd = new Random(seed);
      byte[] code = new byte[45];
      for (int t = 0; t < 30; t++) {
        int a = rnd.nextInt(500);
        build.setScoringOrdinal(a);
        codes.data().asSlice(45L * a, 45).asByteBuffer().get(code);
        float[] decoded = codes.quantizer().decode(code);
        // cosine rows are stored normalized; their decoded vector is (nearly) unit length, and
        // prepare() normalizes it again, so compare against the un-renormalized form via DOT/L2
        RandomVectorScorer query =
            new QuantizedScorers.QueryScorer(codes, preparedWithoutNormalizing(codes, decoded));
        for (int i = 0; i < 20; i++) {
          int b = rnd.nextInt(500);
          float want = query.score(b);
          assertEquals(want, build.score(b), 1e-5f * Math.max(1, Math.abs(want)), "a=" + a);
        }
      }
      assertThrows(IndexOutOfBoundsException.class, () -> build.setScoringOrdinal(500));
      RandomVectorScorer fresh = codes.scorer(rows[3]);
      assertEquals(
          LuceneScores.fromDistance(codes.distance(codes.quantizer().prepare(rows[3]), 7)),
          fresh.score(7));
    }
  }

  private static QuantizedQuery preparedWithoutNormalizing(QuantizedVectors codes, float[] v) {
    QuantizationParams p = codes.quantizer().params();
    QuantizedQuery q = new QuantizedQuery(p.metric(), p.steps(), p.offsets());
    q.set(v, false);
    return q;
  }
}
