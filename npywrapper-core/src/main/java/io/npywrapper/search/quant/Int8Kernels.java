package io.npywrapper.search.quant;

import java.lang.foreign.MemorySegment;

/**
 * Kernels that compare a prepared query with one int8 code row read in place from a memory segment
 * (a memory-mapped {@code vectors.i8.npy}). The query side stays in float32: {@link QuantizedQuery}
 * folds the quantizer's per-dimension offsets and steps into it once per query, so each call is one
 * pass over {@code weights.length} code bytes with no per-row correction. Both sums run in float32;
 * the Vector API version widens each group of code bytes to float lanes and accumulates with fused
 * multiply-add, so it may differ from the scalar one by rounding only.
 *
 * <p>{@link #get()} returns the implementation chosen once per JVM (Vector API when {@code
 * jdk.incubator.vector} is readable and the preferred float vector has at least 8 lanes, scalar
 * otherwise; logged at INFO). Implementations are stateless and thread-safe.
 */
public interface Int8Kernels {

  /** {@code "panama"} or {@code "scalar"}. */
  String name();

  /**
   * {@code sum_j weights[j] * c[j]} where {@code c[j]} is the signed byte at {@code offset + j} of
   * {@code codes}, for {@code j < weights.length}.
   */
  float dot(float[] weights, MemorySegment codes, long offset);

  /**
   * {@code sum_j (steps[j] * c[j] + shifts[j])^2} where {@code c[j]} is the signed byte at {@code
   * offset + j} of {@code codes}, for {@code j < steps.length} ({@code shifts} has the same
   * length).
   */
  float squareDistance(float[] steps, float[] shifts, MemorySegment codes, long offset);

  /**
   * Writes {@code out[j] = scales[j] * c[j] + shifts[j]} for {@code j < out.length}, {@code c[j]}
   * the signed byte at {@code offset + j} of {@code codes}: decodes a row, or folds it into a query
   * (see {@link QuantizedQuery}).
   */
  void decode(float[] scales, float[] shifts, MemorySegment codes, long offset, float[] out);

  /** The kernels this JVM uses. */
  static Int8Kernels get() {
    return Int8KernelProvider.CHOSEN;
  }

  /** The plain Java kernels, always available: the reference of the SIMD ones. */
  static Int8Kernels scalar() {
    return ScalarInt8Kernels.INSTANCE;
  }

  /** The Vector API kernels, or null when they are not usable in this JVM. */
  static Int8Kernels simd() {
    return Int8KernelProvider.SIMD;
  }
}
