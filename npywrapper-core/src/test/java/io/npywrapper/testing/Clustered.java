package io.npywrapper.testing;

import java.util.Random;

/**
 * Seeded clustered float32 vectors for recall tests: Gaussian clouds around random centres, the
 * shape real embeddings have (uniform random vectors make every method look alike). Thread-safe.
 */
public final class Clustered {
  private Clustered() {}

  /**
   * {@code n} vectors of {@code dim} in {@code clusters} clouds (spread 0.15 around unit-ish
   * centres).
   */
  public static float[][] vectors(Random rnd, int n, int dim, int clusters) {
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) rnd.nextGaussian();
      }
    }
    float[][] out = new float[n][dim];
    for (int r = 0; r < n; r++) {
      float[] c = centres[rnd.nextInt(clusters)];
      for (int i = 0; i < dim; i++) {
        out[r][i] = c[i] + 0.35f * (float) rnd.nextGaussian();
      }
    }
    return out;
  }

  /** Scales every row to unit length in place. */
  public static void normalize(float[][] rows) {
    for (float[] r : rows) {
      double n = 0;
      for (float x : r) {
        n += (double) x * x;
      }
      float inv = (float) (1 / Math.sqrt(n));
      for (int i = 0; i < r.length; i++) {
        r[i] *= inv;
      }
    }
  }

  /** The vectors laid out row after row, as in a C-order {@code .npy}. */
  public static float[] flat(float[][] rows) {
    int dim = rows[0].length;
    float[] out = new float[rows.length * dim];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, out, r * dim, dim);
    }
    return out;
  }
}
