package io.npywrapper.testing;

import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded vectors near a {@value #LATENT}-dimensional subspace, clustered in it, the way real
 * embeddings are: eight centres in latent space (N(0, 3²)), a row is a centre plus N(0,1) noise,
 * projected by a fixed Gaussian matrix. Streams files of any size without holding the rows. Not
 * thread-safe (draws from the caller's {@link Random}).
 */
public final class LowRank {
  /** Dimension of the latent subspace. */
  public static final int LATENT = 16;

  private final float[][] projection;
  private final float[][] centers;
  private final float[] z = new float[LATENT];

  private LowRank(float[][] projection, float[][] centers) {
    this.projection = projection;
    this.centers = centers;
  }

  /** A random subspace of {@code dim}-dimensional space and its eight cluster centres. */
  public static LowRank random(Random rnd, int dim) {
    float[][] projection = new float[LATENT][dim];
    for (float[] p : projection) {
      for (int j = 0; j < dim; j++) {
        p[j] = (float) rnd.nextGaussian();
      }
    }
    float[][] centers = new float[8][LATENT];
    for (float[] c : centers) {
      for (int l = 0; l < LATENT; l++) {
        c[l] = (float) rnd.nextGaussian() * 3;
      }
    }
    return new LowRank(projection, centers);
  }

  /** Writes a new point of the subspace into {@code row} (overwritten). */
  public void sample(Random rnd, float[] row) {
    float[] c = centers[rnd.nextInt(centers.length)];
    for (int l = 0; l < LATENT; l++) {
      z[l] = c[l] + (float) rnd.nextGaussian();
    }
    Arrays.fill(row, 0);
    for (int l = 0; l < LATENT; l++) {
      float[] p = projection[l];
      for (int j = 0; j < row.length; j++) {
        row[j] += z[l] * p[j];
      }
    }
  }

  /**
   * Streams {@code rows} points to a float32 {@code (rows, dim)} {@code .npy}, each with a little
   * noise (N(0, 0.05²)) on every {@code noiseStride}-th coordinate so no two rows coincide.
   */
  public void write(Path file, int rows, int noiseStride, Random rnd) throws IOException {
    float[] row = new float[projection[0].length];
    try (NpyStreamWriter w =
        NpyStreamWriter.createFloat32(file, row.length, WriteOptions.DEFAULT.withoutSync())) {
      for (int i = 0; i < rows; i++) {
        sample(rnd, row);
        for (int j = 0; j < row.length; j += noiseStride) {
          row[j] += (float) rnd.nextGaussian() * 0.05f;
        }
        w.appendRow(row);
      }
      w.finish();
    }
  }
}
