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

  /**
   * L2 with a query of exactly eight vectors (128 floats with 512-bit vectors, 64 with 256-bit):
   * the query stays in eight registers while the rows stream past, instead of being reloaded for
   * every row. An exact scan of 1,000,000 x 128 went from 1.14-1.17x to 1.07-1.09x the memory
   * bandwidth floor with it ({@code scan-floor}).
   */
  @Override
  public boolean fusesScan(Metric metric, int dim) {
    return metric == Metric.L2 && dim == 8 * SPECIES.length();
  }

  @Override
  public int distancesAtMost(
      Metric metric,
      float[] a,
      MemorySegment seg,
      long[] offsets,
      int count,
      float limit,
      int[] hits,
      float[] hitDistances) {
    if (fusesScan(metric, a.length)) {
      return squareDistancesAtMost8(a, seg, offsets, count, limit, hits, hitDistances);
    }
    return VectorKernels.super.distancesAtMost(
        metric, a, seg, offsets, count, limit, hits, hitDistances);
  }

  /** Squared L2 for a query of exactly eight vectors, held in registers across the rows. */
  private static int squareDistancesAtMost8(
      float[] a,
      MemorySegment seg,
      long[] offsets,
      int count,
      float limit,
      int[] hits,
      float[] hitDistances) {
    int lanes = SPECIES.length();
    long vb = 4L * lanes;
    FloatVector q0 = FloatVector.fromArray(SPECIES, a, 0);
    FloatVector q1 = FloatVector.fromArray(SPECIES, a, lanes);
    FloatVector q2 = FloatVector.fromArray(SPECIES, a, 2 * lanes);
    FloatVector q3 = FloatVector.fromArray(SPECIES, a, 3 * lanes);
    FloatVector q4 = FloatVector.fromArray(SPECIES, a, 4 * lanes);
    FloatVector q5 = FloatVector.fromArray(SPECIES, a, 5 * lanes);
    FloatVector q6 = FloatVector.fromArray(SPECIES, a, 6 * lanes);
    FloatVector q7 = FloatVector.fromArray(SPECIES, a, 7 * lanes);
    FloatVector zero = FloatVector.zero(SPECIES);
    int h = 0;
    for (int r = 0; r < count; r++) {
      long o = offsets[r];
      FloatVector s0 = sq(q0, seg, o, zero);
      FloatVector s1 = sq(q1, seg, o + vb, zero);
      s0 = sq(q2, seg, o + 2 * vb, s0);
      s1 = sq(q3, seg, o + 3 * vb, s1);
      s0 = sq(q4, seg, o + 4 * vb, s0);
      s1 = sq(q5, seg, o + 5 * vb, s1);
      s0 = sq(q6, seg, o + 6 * vb, s0);
      s1 = sq(q7, seg, o + 7 * vb, s1);
      float d = s0.add(s1).reduceLanes(VectorOperators.ADD);
      if (!(d > limit)) {
        hits[h] = r;
        hitDistances[h++] = d;
      }
    }
    return h;
  }

  private static FloatVector sq(FloatVector q, MemorySegment seg, long offset, FloatVector acc) {
    FloatVector d = q.sub(FloatVector.fromMemorySegment(SPECIES, seg, offset, LE));
    return d.fma(d, acc);
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
