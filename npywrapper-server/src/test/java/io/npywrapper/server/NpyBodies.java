package io.npywrapper.server;

import io.npywrapper.npy.NpyWriter;

/** {@code .npy} request bodies built in memory for tests. */
final class NpyBodies {
  private NpyBodies() {}

  /** A float32 (0, dim) array. */
  static byte[] empty(int dim) {
    return NpyWriter.encode(new float[0], 0, dim);
  }

  /** A float32 (dim,) array. */
  static byte[] float32(float[] v) {
    return NpyWriter.encode(v, v.length);
  }

  /** A float32 (rows, dim) array. */
  static byte[] float32(float[][] rows) {
    int dim = rows[0].length;
    float[] flat = new float[rows.length * dim];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * dim, dim);
    }
    return NpyWriter.encode(flat, rows.length, dim);
  }
}
