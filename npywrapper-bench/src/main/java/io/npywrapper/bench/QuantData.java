package io.npywrapper.bench;

import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Data sets of the {@code quant} benchmark, written as float32 {@code .npy}: seeded clustered
 * Gaussian vectors, or Fashion-MNIST's 28x28 images from IDX files (Debian's {@code
 * dataset-fashion-mnist}). Stateless.
 */
final class QuantData {
  private QuantData() {}

  /**
   * Writes {@code rows} base vectors to {@code base} and {@code queries} query vectors to {@code
   * queryFile}: points around 100 Gaussian centers (spread 0.5 to 1.5), queries drawn the same way.
   */
  static void clustered(Path base, Path queryFile, int rows, int queries, int dim, long seed)
      throws IOException {
    Random rnd = new Random(seed);
    float[][] centers = new float[100][dim];
    for (float[] c : centers) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) (rnd.nextGaussian() * 2);
      }
    }
    write(base, rows, dim, centers, rnd);
    write(queryFile, queries, dim, centers, rnd);
  }

  private static void write(Path file, int rows, int dim, float[][] centers, Random rnd)
      throws IOException {
    float[] row = new float[dim];
    try (NpyStreamWriter w =
        NpyStreamWriter.createFloat32(
            file, dim, WriteOptions.DEFAULT.withoutSync().overwriting())) {
      for (int i = 0; i < rows; i++) {
        float[] c = centers[rnd.nextInt(centers.length)];
        float spread = 0.5f + rnd.nextFloat();
        for (int j = 0; j < dim; j++) {
          row[j] = c[j] + (float) rnd.nextGaussian() * spread;
        }
        w.appendRow(row);
      }
      w.finish();
    }
  }

  /**
   * Converts the first {@code limit} images of a gzipped IDX3 file (magic 2051, count, rows,
   * columns, then one unsigned byte per pixel) to a float32 {@code (count, rows*columns)} array.
   */
  static int idxImages(Path gz, Path out, int limit) throws IOException {
    try (InputStream raw = Files.newInputStream(gz);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      int magic = in.readInt();
      if (magic != 2051) {
        throw new IOException(gz + ": not an IDX3 image file (magic " + magic + ", expected 2051)");
      }
      int count = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      if (count < 0 || h < 1 || w < 1 || (long) h * w > 1 << 20) {
        throw new IOException(gz + ": implausible shape " + count + "x" + h + "x" + w);
      }
      int n = Math.min(count, limit);
      int dim = h * w;
      byte[] pixels = new byte[dim];
      float[] row = new float[dim];
      try (NpyStreamWriter wr =
          NpyStreamWriter.createFloat32(
              out, dim, WriteOptions.DEFAULT.withoutSync().overwriting())) {
        for (int i = 0; i < n; i++) {
          in.readFully(pixels);
          for (int j = 0; j < dim; j++) {
            row[j] = pixels[j] & 0xff;
          }
          wr.appendRow(row);
        }
        wr.finish();
      }
      return n;
    }
  }
}
