package io.npywrapper.bench.ann;

import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A seeded generator of clustered float32 vectors: {@code clusters} gaussian centres (unit variance
 * per coordinate), and around each a gaussian cloud of spread {@code 0.5} that lies mostly in a
 * random {@link #LATENT}-dimensional subspace of its own, plus a little isotropic noise. Real
 * embeddings look like this (clustered, of low intrinsic dimension); isotropic noise in 128 or 768
 * dimensions would not. The same seed always gives the same vectors. Immutable and thread-safe.
 *
 * @param dim the vectors' dimension
 * @param clusters the number of clusters
 * @param seed the seed of everything: centres, subspaces and points
 */
public record ClusteredSet(int dim, int clusters, long seed) {
  /** Dimension of each cluster's subspace. */
  static final int LATENT = 16;

  private static final double SPREAD = 0.5;
  private static final double NOISE = 0.05;

  public ClusteredSet {
    if (dim < 1 || clusters < 1) {
      throw new IllegalArgumentException(
          "dim and clusters must be positive, got " + dim + " and " + clusters);
    }
  }

  /**
   * Writes {@code rows} vectors drawn with stream {@code stream} (use different streams for the
   * train and query sets) to a new float32 {@code (rows, dim)} {@code .npy} at {@code out}.
   */
  public void write(Path out, long rows, long stream) throws IOException {
    float[][] centres = new float[clusters][dim];
    float[][][] bases = new float[clusters][LATENT][dim];
    SplittableRandom shape = new SplittableRandom(seed);
    double basisScale = SPREAD / Math.sqrt(LATENT);
    for (int c = 0; c < clusters; c++) {
      for (int j = 0; j < dim; j++) {
        centres[c][j] = (float) shape.nextGaussian();
      }
      for (int l = 0; l < LATENT; l++) {
        for (int j = 0; j < dim; j++) {
          bases[c][l][j] = (float) (shape.nextGaussian() * basisScale);
        }
      }
    }
    SplittableRandom points = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1)));
    float[] row = new float[dim];
    double[] z = new double[LATENT];
    try (NpyStreamWriter w =
        NpyStreamWriter.createFloat32(out, dim, WriteOptions.DEFAULT.withoutSync())) {
      for (long i = 0; i < rows; i++) {
        int c = points.nextInt(clusters);
        for (int l = 0; l < LATENT; l++) {
          z[l] = points.nextGaussian();
        }
        for (int j = 0; j < dim; j++) {
          double v = centres[c][j] + points.nextGaussian() * NOISE;
          for (int l = 0; l < LATENT; l++) {
            v += z[l] * bases[c][l][j];
          }
          row[j] = (float) v;
        }
        w.appendRow(row);
      }
      w.finish();
    }
  }
}
