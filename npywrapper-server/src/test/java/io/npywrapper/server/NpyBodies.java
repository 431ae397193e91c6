package io.npywrapper.server;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** {@code .npy} request bodies built in memory for tests. */
final class NpyBodies {
  private NpyBodies() {}

  /** A float32 (0, dim) array. */
  static byte[] empty(int dim) {
    return NpyHeader.of(DType.FLOAT32, false, 0, dim).encode();
  }

  /** A float32 (dim,) array. */
  static byte[] float32(float[] v) {
    byte[] header = NpyHeader.of(DType.FLOAT32, false, v.length).encode();
    ByteBuffer b = ByteBuffer.allocate(header.length + v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  /** A float32 (rows, dim) array. */
  static byte[] float32(float[][] rows) {
    int dim = rows[0].length;
    byte[] header = NpyHeader.of(DType.FLOAT32, false, rows.length, dim).encode();
    ByteBuffer b =
        ByteBuffer.allocate(header.length + rows.length * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (float[] r : rows) {
      for (float f : r) {
        b.putFloat(f);
      }
    }
    return b.array();
  }
}
