package io.npywrapper.search;

import java.lang.foreign.MemorySegment;

/**
 * Distance kernels over float32 vectors: squared L2, negated dot product and cosine distance, each
 * between a query held in a {@code float[]} and either another {@code float[]} or a little-endian
 * float32 row inside a memory segment (a memory-mapped {@code vectors.npy}), read in place without
 * copying. Every result is a distance in the sense of {@link Metric}: smaller is closer.
 *
 * <p>{@link #get()} returns the implementation chosen once per JVM: one built on the Vector API
 * ({@code jdk.incubator.vector}) when that module is readable, otherwise a plain scalar one; the
 * choice is logged at INFO. Implementations are stateless and thread-safe.
 */
public interface VectorKernels {

  /** A short name for logs and benchmarks: {@code "panama"} or {@code "scalar"}. */
  String name();

  /** Squared Euclidean distance between {@code a} and {@code b} (same length). */
  float squareDistance(float[] a, float[] b);

  /** Negated inner product of {@code a} and {@code b}. */
  float negatedDot(float[] a, float[] b);

  /** One minus the cosine similarity; 1 when either vector is all zeros. */
  float cosineDistance(float[] a, float[] b);

  /**
   * As {@link #squareDistance(float[], float[])} with {@code b} at {@code offset} in {@code seg}.
   */
  float squareDistance(float[] a, MemorySegment seg, long offset);

  /** As {@link #negatedDot(float[], float[])} with {@code b} at {@code offset} in {@code seg}. */
  float negatedDot(float[] a, MemorySegment seg, long offset);

  /**
   * As {@link #cosineDistance(float[], float[])} with {@code b} at {@code offset} in {@code seg}.
   */
  float cosineDistance(float[] a, MemorySegment seg, long offset);

  /**
   * The distances of {@code metric} from {@code a} to the rows at byte offsets {@code
   * offsets[0..count)} of {@code seg}, written to {@code out[0..count)}. The SIMD implementation
   * scores several rows per pass so that their memory loads overlap; this default scores one row at
   * a time.
   */
  default void distances(
      Metric metric, float[] a, MemorySegment seg, long[] offsets, int count, float[] out) {
    for (int i = 0; i < count; i++) {
      out[i] = distance(metric, a, seg, offsets[i]);
    }
  }

  /**
   * Whether {@link #distancesAtMost} is a fused kernel for {@code metric} at {@code dim}, faster
   * than scoring the rows one call at a time; when false it is the generic loop below, and an exact
   * scan does better with its own row-by-row loop (measured 1.28-1.37x against 1.14-1.17x the floor
   * at 1,000,000 x 128).
   */
  default boolean fusesScan(Metric metric, int dim) {
    return false;
  }

  /**
   * The rows among {@code offsets[0..count)} of {@code seg}, taken in order, whose distance from
   * {@code a} is not above {@code limit} (NaN distances included): their positions in {@code
   * offsets} go to {@code hits} and their distances to {@code hitDistances}, and their number is
   * returned. For exact scans, where most rows cannot enter the top k and are dropped inside the
   * kernel loop.
   */
  default int distancesAtMost(
      Metric metric,
      float[] a,
      MemorySegment seg,
      long[] offsets,
      int count,
      float limit,
      int[] hits,
      float[] hitDistances) {
    int h = 0;
    for (int i = 0; i < count; i++) {
      float d = distance(metric, a, seg, offsets[i]);
      if (!(d > limit)) {
        hits[h] = i;
        hitDistances[h++] = d;
      }
    }
    return h;
  }

  /** The distance of {@code metric} between {@code a} and {@code b}. */
  default float distance(Metric metric, float[] a, float[] b) {
    return switch (metric) {
      case L2 -> squareDistance(a, b);
      case DOT -> negatedDot(a, b);
      case COSINE -> cosineDistance(a, b);
    };
  }

  /**
   * The distance of {@code metric} between {@code a} and the row at {@code offset} of {@code seg}.
   */
  default float distance(Metric metric, float[] a, MemorySegment seg, long offset) {
    return switch (metric) {
      case L2 -> squareDistance(a, seg, offset);
      case DOT -> negatedDot(a, seg, offset);
      case COSINE -> cosineDistance(a, seg, offset);
    };
  }

  /** The kernels this JVM uses: SIMD when available, chosen once and logged. */
  static VectorKernels get() {
    return KernelProvider.CHOSEN;
  }

  /** The scalar kernels, always available (tests compare the SIMD ones against these). */
  static VectorKernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /** The Vector API kernels, or null when {@code jdk.incubator.vector} is not readable. */
  static VectorKernels simd() {
    return KernelProvider.SIMD;
  }
}
