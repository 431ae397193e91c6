package io.npywrapper.bench.ann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
  @TempDir Path dir;

  @RepeatedTest(3)
  void matchesASortOfAllDistances() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("GroundTruthTest seed " + seed);
    Random rnd = new Random(seed);
    int rows = 500 + rnd.nextInt(2000);
    int dim = 1 + rnd.nextInt(40);
    float[][] train = new float[rows][dim];
    for (float[] r : train) {
      for (int j = 0; j < dim; j++) {
        // Few distinct values: many exact ties, which must go to the smaller row.
        r[j] = rnd.nextInt(4);
      }
    }
    float[][] queries = new float[7][dim];
    for (float[] q : queries) {
      for (int j = 0; j < dim; j++) {
        q[j] = rnd.nextInt(4);
      }
    }
    Path f = dir.resolve("t.npy");
    NpyWriter.write(f, train, WriteOptions.DEFAULT.overwriting());
    int k = 1 + rnd.nextInt(30);
    GroundTruth gt;
    try (NpyArray a = NpyArray.open(f)) {
      gt = GroundTruth.compute(a, queries, k, 1 + rnd.nextInt(3));
    }
    for (int q = 0; q < queries.length; q++) {
      float[] d = new float[rows];
      Integer[] order = new Integer[rows];
      for (int r = 0; r < rows; r++) {
        float s = 0;
        for (int j = 0; j < dim; j++) {
          float x = queries[q][j] - train[r][j];
          s += x * x;
        }
        d[r] = s;
        order[r] = r;
      }
      Arrays.sort(order, Comparator.<Integer>comparingDouble(r -> d[r]).thenComparing(r -> r));
      long[] want = new long[k];
      float[] wantD = new float[k];
      for (int i = 0; i < k; i++) {
        want[i] = order[i];
        wantD[i] = d[order[i]];
      }
      assertArrayEquals(want, gt.ids()[q], "seed " + seed + " query " + q);
      assertArrayEquals(wantD, gt.distances()[q], 1e-3f, "seed " + seed + " query " + q);
    }
  }

  @Test
  void kLargerThanTheDataReturnsEveryRow() throws Exception {
    Path f = dir.resolve("small.npy");
    NpyWriter.write(f, new float[][] {{0f}, {3f}, {1f}}, WriteOptions.DEFAULT);
    try (NpyArray a = NpyArray.open(f)) {
      GroundTruth gt = GroundTruth.compute(a, new float[][] {{0.9f}}, 10, 2);
      assertArrayEquals(new long[] {2, 0, 1}, gt.ids()[0]);
      assertEquals(3, gt.distances()[0].length);
    }
  }
}
