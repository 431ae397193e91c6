package io.npywrapper.search;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance kernels on the Vector API: the preferred species' lanes accumulate with fused
 * multiply-add, the tail is done in scalar code. Loaded only when {@code jdk.incubator.vector} is
 * readable (see {@link KernelProvider}). Thread-safe.
 */
final class PanamaKernels implements VectorKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  PanamaKernels() {}

  static String describe() {
    return SPECIES.vectorBitSize() + "-bit, " + SPECIES.length() + " float lanes";
  }

  @Override
  public String name() {
    return "panama";
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      FloatVector d =
          FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
      acc = d.fma(d, acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      float d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  @Override
  public float negatedDot(float[] a, float[] b) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return -s;
  }

  @Override
  public float cosineDistance(float[] a, float[] b) {
    FloatVector dot = FloatVector.zero(SPECIES);
    FloatVector na = FloatVector.zero(SPECIES);
    FloatVector nb = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      FloatVector y = FloatVector.fromArray(SPECIES, b, i);
      dot = x.fma(y, dot);
      na = x.fma(x, na);
      nb = y.fma(y, nb);
    }
    float d = dot.reduceLanes(VectorOperators.ADD);
    float sa = na.reduceLanes(VectorOperators.ADD);
    float sb = nb.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      d += a[i] * b[i];
      sa += a[i] * a[i];
      sb += b[i] * b[i];
    }
    return ScalarKernels.cosine(d, sa, sb);
  }

  @Override
  public float squareDistance(float[] a, MemorySegment seg, long offset) {
    // Two accumulators: two chains of dependent multiply-adds instead of one. The exact scan calls
    // this once per row; at 128 dimensions (8 steps of 16 lanes) one chain left it 1.28x the
    // memory-bandwidth floor, two 1.18x (`scan-floor`; four were no better than two).
    FloatVector acc = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    int lanes = SPECIES.length();
    for (; i + lanes < bound; i += 2 * lanes) {
      FloatVector y = FloatVector.fromMemorySegment(SPECIES, seg, offset + 4L * i, LE);
      FloatVector z = FloatVector.fromMemorySegment(SPECIES, seg, offset + 4L * (i + lanes), LE);
      FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(y);
      FloatVector e = FloatVector.fromArray(SPECIES, a, i + lanes).sub(z);
      acc = d.fma(d, acc);
      acc2 = e.fma(e, acc2);
    }
    for (; i < bound; i += lanes) {
      FloatVector y = FloatVector.fromMemorySegment(SPECIES, seg, offset + 4L * i, LE);
      FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(y);
      acc = d.fma(d, acc);
    }
    float s = acc.add(acc2).reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      float d = a[i] - ScalarKernels.floatAt(seg, offset + 4L * i);
      s += d * d;
    }
    return s;
  }

  @Override
  public float negatedDot(float[] a, MemorySegment seg, long offset) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      FloatVector y = FloatVector.fromMemorySegment(SPECIES, seg, offset + 4L * i, LE);
      acc = FloatVector.fromArray(SPECIES, a, i).fma(y, acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      s += a[i] * ScalarKernels.floatAt(seg, offset + 4L * i);
    }
    return -s;
  }

  @Override
  public float cosineDistance(float[] a, MemorySegment seg, long offset) {
    FloatVector dot = FloatVector.zero(SPECIES);
    FloatVector na = FloatVector.zero(SPECIES);
    FloatVector nb = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      FloatVector y = FloatVector.fromMemorySegment(SPECIES, seg, offset + 4L * i, LE);
      dot = x.fma(y, dot);
      na = x.fma(x, na);
      nb = y.fma(y, nb);
    }
    float d = dot.reduceLanes(VectorOperators.ADD);
    float sa = na.reduceLanes(VectorOperators.ADD);
    float sb = nb.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      float y = ScalarKernels.floatAt(seg, offset + 4L * i);
      d += a[i] * y;
      sa += a[i] * a[i];
      sb += y * y;
    }
    return ScalarKernels.cosine(d, sa, sb);
  }

  @Override
  public void distances(
      Metric metric, float[] a, MemorySegment seg, long[] offsets, int count, float[] out) {
    PanamaBulkKernels.distances(this, metric, a, seg, offsets, count, out);
  }
}
