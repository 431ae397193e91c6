package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankerTest {
  private static final WriteOptions SCRATCH = WriteOptions.DEFAULT.withoutSync();

  @TempDir Path dir;

  private NpyArray line() throws Exception {
    // row i = (i, 0, 0): the L2 distance to (x, 0, 0) is (x - i)^2
    float[][] rows = new float[10][3];
    for (int i = 0; i < 10; i++) {
      rows[i][0] = i;
    }
    Path f = dir.resolve("vectors.npy");
    NpyWriter.write(f, rows, SCRATCH);
    return NpyArray.open(f);
  }

  @Test
  void keepsTheKNearestByExactDistanceTiesByRowAndCountsDuplicatesOnce() throws Exception {
    try (NpyArray v = line()) {
      Reranker r = new Reranker(v, Metric.L2);
      float[] q = {4.5f, 0, 0};
      List<ScoredRow> top = r.rerank(q, new int[] {9, 5, 4, 4, 0, 5, 7, 99}, 7, 3);
      assertEquals(
          List.of(new ScoredRow(4, 0.25f), new ScoredRow(5, 0.25f), new ScoredRow(7, 6.25f)), top);
      assertEquals(List.of(new ScoredRow(3, 2.25f)), r.rerank(q, new int[] {3, 3}, 2, 5));
      assertEquals(12, r.rowBytes());
    }
  }

  @Test
  void reranksOnlyTheBestCountOfTopDocs() throws Exception {
    try (NpyArray v = line()) {
      Reranker r = new Reranker(v, Metric.L2);
      TopDocs docs =
          new TopDocs(
              new TotalHits(3, TotalHits.Relation.EQUAL_TO),
              new ScoreDoc[] {new ScoreDoc(8, 0.9f), new ScoreDoc(1, 0.5f), new ScoreDoc(2, 0.4f)});
      List<ScoredRow> top = r.rerank(new float[] {2, 0, 0}, docs, 2, 10);
      assertEquals(List.of(new ScoredRow(1, 1f), new ScoredRow(8, 36f)), top);
    }
  }

  @Test
  void refusesWhatItCannotReadInPlace() throws Exception {
    Path f = dir.resolve("f64.npy");
    NpyWriter.write(f, new double[6], new long[] {2, 3}, SCRATCH);
    try (NpyArray v = NpyArray.open(f)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Reranker(v, Metric.L2));
      assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
    try (NpyArray v = line()) {
      Reranker r = new Reranker(v, Metric.DOT);
      assertThrows(IllegalArgumentException.class, () -> r.rerank(new float[2], new int[1], 1, 1));
      assertThrows(IllegalArgumentException.class, () -> r.rerank(new float[3], new int[1], 1, 0));
      assertThrows(
          IndexOutOfBoundsException.class, () -> r.rerank(new float[3], new int[] {10}, 1, 1));
    }
  }
}
