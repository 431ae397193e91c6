package io.npywrapper.npy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Converts a {@code .npy} file to another dtype, as numpy's {@code astype} casts, writing a
 * little-endian C-order file. Streams row by row (a same-dtype C-order input is copied in one
 * pass), so files of any size convert in bounded memory. Stateless and thread-safe.
 */
public final class NpyConvert {
  private NpyConvert() {}

  /**
   * Writes {@code in} as {@code target} under {@code out}; {@code target} null keeps the dtype.
   * Checks the cast is possible before anything is written.
   *
   * @return the header written
   * @throws IllegalArgumentException when the cast is not possible (e.g. complex to real)
   */
  public static NpyHeader convert(Path in, Path out, DType target, WriteOptions options)
      throws IOException {
    try (NpyArray src = NpyArray.open(in)) {
      DType to = target == null ? src.dtype().withOrder(java.nio.ByteOrder.LITTLE_ENDIAN) : target;
      ElementIO.checkConvertible(src.dtype(), to);
      if (src.rank() == 0) {
        NpyHeader h = NpyHeader.of(to, false);
        MemorySegment one = MemorySegment.ofArray(new byte[to.itemSize()]);
        ElementIO.convert(src.data(), src.dtype(), 0, one, to, 0);
        NpyWriter.write(out, h, one, options);
        return h;
      }
      long[] shape = src.shape();
      long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
      try (NpyStreamWriter w = NpyStreamWriter.create(out, to, rowShape, options)) {
        if (src.dtype().equals(to) && !src.isFortranOrder()) {
          w.append(src.data());
        } else {
          for (long r = 0; r < src.rows(); r++) {
            w.appendRow(src, r);
          }
        }
        return w.finish();
      }
    }
  }
}
