package io.npywrapper.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of little-endian float32 data in a {@link MemorySegment}, read in place. The vector sum uses
 * the Vector API with four independent accumulators over blocks of {@value #BLOCK_FLOATS} floats,
 * adding each block's total to a double: as fast as the loads go and far more accurate than one
 * running float32 total. Stateless and thread-safe.
 */
public final class FloatSum {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final long VECTOR_BYTES = SPECIES.vectorByteSize();

  /** Floats per block: 64 KiB, a multiple of 4 vectors for every vector size up to 512 bits. */
  static final int BLOCK_FLOATS = 16 * 1024;

  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatSum() {}

  /** Bits of the preferred vector species, for the report. */
  public static int vectorBits() {
    return SPECIES.vectorBitSize();
  }

  /** The sum of every float in {@code data} (its size must be a multiple of 4 bytes). */
  public static double vector(MemorySegment data) {
    long floats = floatCount(data);
    long blocks = floats / BLOCK_FLOATS;
    double total = 0;
    for (long b = 0; b < blocks; b++) {
      total += vectorBlock(data, b * BLOCK_FLOATS * Float.BYTES);
    }
    for (long i = blocks * BLOCK_FLOATS; i < floats; i++) {
      total += data.get(FLOAT_LE, i * Float.BYTES);
    }
    return total;
  }

  /** One block of {@link #BLOCK_FLOATS} floats at byte offset {@code base}, four accumulators. */
  private static float vectorBlock(MemorySegment data, long base) {
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    for (int i = 0; i < BLOCK_FLOATS; i += 4 * LANES) { // an int counted loop for C2
      long off = base + (long) i * Float.BYTES;
      a0 = a0.add(FloatVector.fromMemorySegment(SPECIES, data, off, ByteOrder.LITTLE_ENDIAN));
      a1 =
          a1.add(
              FloatVector.fromMemorySegment(
                  SPECIES, data, off + VECTOR_BYTES, ByteOrder.LITTLE_ENDIAN));
      a2 =
          a2.add(
              FloatVector.fromMemorySegment(
                  SPECIES, data, off + 2 * VECTOR_BYTES, ByteOrder.LITTLE_ENDIAN));
      a3 =
          a3.add(
              FloatVector.fromMemorySegment(
                  SPECIES, data, off + 3 * VECTOR_BYTES, ByteOrder.LITTLE_ENDIAN));
    }
    return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
  }

  /**
   * The same sum with plain scalar Java: one float accumulator per block, which the JIT may not
   * reorder (floating-point addition is not associative), so it runs at one add per latency.
   */
  public static double scalar(MemorySegment data) {
    long floats = floatCount(data);
    double total = 0;
    for (long start = 0; start < floats; start += BLOCK_FLOATS) {
      int n = (int) Math.min(BLOCK_FLOATS, floats - start);
      long base = start * Float.BYTES;
      float block = 0;
      for (int i = 0; i < n; i++) {
        block += data.get(FLOAT_LE, base + (long) i * Float.BYTES);
      }
      total += block;
    }
    return total;
  }

  private static long floatCount(MemorySegment data) {
    if (data.byteSize() % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "segment of " + data.byteSize() + " bytes is not a whole number of floats");
    }
    // The vector loop assumes whole groups of 4 vectors per block.
    assert BLOCK_FLOATS % (4 * LANES) == 0;
    return data.byteSize() / Float.BYTES;
  }
}
