package io.npywrapper.search.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Int8 kernels on the Vector API: each step loads as many code bytes as the preferred float vector
 * has lanes, widens them to floats ({@code B2F}) and accumulates with fused multiply-add in two
 * independent accumulators; the tail runs in scalar code. Loaded only through {@link
 * Int8KernelProvider} once the module is known to be readable. Thread-safe.
 */
final class PanamaInt8Kernels implements Int8Kernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * Byte.SIZE));
  private static final int L = F.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  PanamaInt8Kernels() {
    if (L < 8) {
      throw new UnsupportedOperationException(
          "preferred float vectors have " + L + " lanes; at least 8 are needed");
    }
  }

  static String describe() {
    return F.vectorBitSize()
        + "-bit, "
        + L
        + " float lanes from "
        + B.vectorBitSize()
        + "-bit bytes";
  }

  @Override
  public String name() {
    return "panama";
  }

  private static FloatVector codes(MemorySegment seg, long at) {
    return (FloatVector)
        ByteVector.fromMemorySegment(B, seg, at, LE).convertShape(VectorOperators.B2F, F, 0);
  }

  @Override
  public float dot(float[] weights, MemorySegment seg, long offset) {
    int n = weights.length;
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = FloatVector.zero(F);
    int i = 0;
    int bound2 = n - n % (2 * L);
    for (; i < bound2; i += 2 * L) {
      acc0 = FloatVector.fromArray(F, weights, i).fma(codes(seg, offset + i), acc0);
      acc1 = FloatVector.fromArray(F, weights, i + L).fma(codes(seg, offset + i + L), acc1);
    }
    int bound = F.loopBound(n);
    for (; i < bound; i += L) {
      acc0 = FloatVector.fromArray(F, weights, i).fma(codes(seg, offset + i), acc0);
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += weights[i] * seg.get(ValueLayout.JAVA_BYTE, offset + i);
    }
    return s;
  }

  @Override
  public float squareDistance(float[] steps, float[] shifts, MemorySegment seg, long offset) {
    int n = steps.length;
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = FloatVector.zero(F);
    int i = 0;
    int bound2 = n - n % (2 * L);
    for (; i < bound2; i += 2 * L) {
      FloatVector d0 =
          FloatVector.fromArray(F, steps, i)
              .fma(codes(seg, offset + i), FloatVector.fromArray(F, shifts, i));
      FloatVector d1 =
          FloatVector.fromArray(F, steps, i + L)
              .fma(codes(seg, offset + i + L), FloatVector.fromArray(F, shifts, i + L));
      acc0 = d0.fma(d0, acc0);
      acc1 = d1.fma(d1, acc1);
    }
    int bound = F.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector d =
          FloatVector.fromArray(F, steps, i)
              .fma(codes(seg, offset + i), FloatVector.fromArray(F, shifts, i));
      acc0 = d.fma(d, acc0);
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float d = steps[i] * seg.get(ValueLayout.JAVA_BYTE, offset + i) + shifts[i];
      s += d * d;
    }
    return s;
  }

  @Override
  public void decode(float[] scales, float[] shifts, MemorySegment seg, long offset, float[] out) {
    int n = out.length;
    int i = 0;
    int bound = F.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector.fromArray(F, scales, i)
          .fma(codes(seg, offset + i), FloatVector.fromArray(F, shifts, i))
          .intoArray(out, i);
    }
    for (; i < n; i++) {
      out[i] = scales[i] * seg.get(ValueLayout.JAVA_BYTE, offset + i) + shifts[i];
    }
  }
}
