package io.npywrapper.bench;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyHeader;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The benchmark's input: a float32 {@code (rows, dim)} {@code .npy} file of deterministic
 * pseudo-random values in [-0.5, 0.5), written afresh for each run, plus an off-heap copy of its
 * data to write from. Stateless helpers; thread-safe.
 */
public final class TestData {
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private TestData() {}

  /** The header of a float32 C-order {@code (rows, dim)} array. */
  public static NpyHeader header(long rows, int dim) {
    return NpyHeader.of(DType.FLOAT32, false, rows, dim);
  }

  /**
   * Writes {@code path} afresh as a float32 {@code (rows, dim)} array, replacing any file there,
   * with fsync so that its writeback does not disturb the measurements. Always rewritten, never
   * reused: how fast a cached file faults in depends on the page cache's state (here, touching
   * every page of a 2 GiB file took ~30 ms right after it was written and ~150 ms once it had sat
   * in the cache through many other large writes), so every run starts from the same state.
   */
  public static void write(Path path, long rows, int dim) throws IOException {
    NpyHeader h = header(rows, dim);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment data = arena.allocate(h.dataBytes(), 64);
      fill(data);
      NpyWriter.write(path, h, data, WriteOptions.DEFAULT.overwriting());
    }
  }

  /** Fills {@code data} with floats in [-0.5, 0.5) from a 32-bit xorshift generator. */
  static void fill(MemorySegment data) {
    long n = data.byteSize() / Float.BYTES;
    int x = 0x2545F491;
    for (long i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      data.set(FLOAT_LE, i * Float.BYTES, (x >>> 8) * 0x1p-24f - 0.5f);
    }
  }

  /** A copy of the data of the array at {@code path} in memory allocated from {@code arena}. */
  public static MemorySegment loadData(Path path, Arena arena) throws IOException {
    try (NpyArray a = NpyArray.open(path)) {
      MemorySegment copy = arena.allocate(a.data().byteSize(), 64);
      MemorySegment.copy(a.data(), 0, copy, 0, copy.byteSize());
      return copy;
    }
  }
}
