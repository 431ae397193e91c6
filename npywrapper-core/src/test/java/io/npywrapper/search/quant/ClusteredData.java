package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded clustered float vectors and brute-force ground truth for quantization tests. */
final class ClusteredData {
  private ClusteredData() {}

  /** {@code n} rows of {@code dim} values around {@code clusters} Gaussian centers. */
  static float[][] generate(int n, int dim, int clusters, long seed) {
    Random rnd = new Random(seed);
    float[][] centers = new float[clusters][dim];
    for (float[] c : centers) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) (rnd.nextGaussian() * 2);
      }
    }
    float[][] rows = new float[n][dim];
    for (int i = 0; i < n; i++) {
      float[] c = centers[rnd.nextInt(clusters)];
      float spread = 0.5f + rnd.nextFloat();
      for (int j = 0; j < dim; j++) {
        rows[i][j] = c[j] + (float) rnd.nextGaussian() * spread;
      }
    }
    return rows;
  }

  /** The {@code k} nearest rows to {@code q} by exact distance (ties by row). */
  static int[] exactTopK(float[][] rows, float[] q, Metric metric, int k) {
    List<ScoredRow> all = new ArrayList<>(rows.length);
    VectorKernels kernels = VectorKernels.get();
    for (int i = 0; i < rows.length; i++) {
      all.add(new ScoredRow(i, kernels.distance(metric, q, rows[i])));
    }
    all.sort(Reranker.ORDER);
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = all.get(i).row();
    }
    return out;
  }

  /** How many of {@code truth} appear in {@code found}. */
  static int overlap(int[] truth, List<ScoredRow> found) {
    int hits = 0;
    for (int t : truth) {
      for (ScoredRow r : found) {
        if (r.row() == t) {
          hits++;
          break;
        }
      }
    }
    return hits;
  }
}
