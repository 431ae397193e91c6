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
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      FloatVector y = FloatVector.fromMemorySegment(SPECIES, seg, offset + 4L * i, LE);
      FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(y);
      acc = d.fma(d, acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      float d = a[i] - ScalarKernels.floatAt(seg, offset + 4L * i);
      s += d * d;
    }
    return s;
  }

  @Override
  public void squareDistance4(
      float[] a, MemorySegment seg, long o0, long o1, long o2, long o3, float[] out) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    FloatVector acc3 = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      long b = 4L * i;
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      FloatVector d0 = x.sub(FloatVector.fromMemorySegment(SPECIES, seg, o0 + b, LE));
      FloatVector d1 = x.sub(FloatVector.fromMemorySegment(SPECIES, seg, o1 + b, LE));
      FloatVector d2 = x.sub(FloatVector.fromMemorySegment(SPECIES, seg, o2 + b, LE));
      FloatVector d3 = x.sub(FloatVector.fromMemorySegment(SPECIES, seg, o3 + b, LE));
      acc0 = d0.fma(d0, acc0);
      acc1 = d1.fma(d1, acc1);
      acc2 = d2.fma(d2, acc2);
      acc3 = d3.fma(d3, acc3);
    }
    float s0 = acc0.reduceLanes(VectorOperators.ADD);
    float s1 = acc1.reduceLanes(VectorOperators.ADD);
    float s2 = acc2.reduceLanes(VectorOperators.ADD);
    float s3 = acc3.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      long b = 4L * i;
      float d0 = a[i] - ScalarKernels.floatAt(seg, o0 + b);
      float d1 = a[i] - ScalarKernels.floatAt(seg, o1 + b);
      float d2 = a[i] - ScalarKernels.floatAt(seg, o2 + b);
      float d3 = a[i] - ScalarKernels.floatAt(seg, o3 + b);
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
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
  public void negatedDot4(
      float[] a, MemorySegment seg, long o0, long o1, long o2, long o3, float[] out) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    FloatVector acc3 = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      long b = 4L * i;
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      acc0 = x.fma(FloatVector.fromMemorySegment(SPECIES, seg, o0 + b, LE), acc0);
      acc1 = x.fma(FloatVector.fromMemorySegment(SPECIES, seg, o1 + b, LE), acc1);
      acc2 = x.fma(FloatVector.fromMemorySegment(SPECIES, seg, o2 + b, LE), acc2);
      acc3 = x.fma(FloatVector.fromMemorySegment(SPECIES, seg, o3 + b, LE), acc3);
    }
    float s0 = acc0.reduceLanes(VectorOperators.ADD);
    float s1 = acc1.reduceLanes(VectorOperators.ADD);
    float s2 = acc2.reduceLanes(VectorOperators.ADD);
    float s3 = acc3.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      long b = 4L * i;
      s0 += a[i] * ScalarKernels.floatAt(seg, o0 + b);
      s1 += a[i] * ScalarKernels.floatAt(seg, o1 + b);
      s2 += a[i] * ScalarKernels.floatAt(seg, o2 + b);
      s3 += a[i] * ScalarKernels.floatAt(seg, o3 + b);
    }
    out[0] = -s0;
    out[1] = -s1;
    out[2] = -s2;
    out[3] = -s3;
  }

  @Override
  public void cosineDistance4(
      float[] a, MemorySegment seg, long o0, long o1, long o2, long o3, float[] out) {
    FloatVector na = FloatVector.zero(SPECIES);
    FloatVector dot0 = FloatVector.zero(SPECIES);
    FloatVector dot1 = FloatVector.zero(SPECIES);
    FloatVector dot2 = FloatVector.zero(SPECIES);
    FloatVector dot3 = FloatVector.zero(SPECIES);
    FloatVector nb0 = FloatVector.zero(SPECIES);
    FloatVector nb1 = FloatVector.zero(SPECIES);
    FloatVector nb2 = FloatVector.zero(SPECIES);
    FloatVector nb3 = FloatVector.zero(SPECIES);
    int i = 0;
    int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += SPECIES.length()) {
      long b = 4L * i;
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      FloatVector y0 = FloatVector.fromMemorySegment(SPECIES, seg, o0 + b, LE);
      FloatVector y1 = FloatVector.fromMemorySegment(SPECIES, seg, o1 + b, LE);
      FloatVector y2 = FloatVector.fromMemorySegment(SPECIES, seg, o2 + b, LE);
      FloatVector y3 = FloatVector.fromMemorySegment(SPECIES, seg, o3 + b, LE);
      na = x.fma(x, na);
      dot0 = x.fma(y0, dot0);
      dot1 = x.fma(y1, dot1);
      dot2 = x.fma(y2, dot2);
      dot3 = x.fma(y3, dot3);
      nb0 = y0.fma(y0, nb0);
      nb1 = y1.fma(y1, nb1);
      nb2 = y2.fma(y2, nb2);
      nb3 = y3.fma(y3, nb3);
    }
    float sa = na.reduceLanes(VectorOperators.ADD);
    float d0 = dot0.reduceLanes(VectorOperators.ADD);
    float d1 = dot1.reduceLanes(VectorOperators.ADD);
    float d2 = dot2.reduceLanes(VectorOperators.ADD);
    float d3 = dot3.reduceLanes(VectorOperators.ADD);
    float sb0 = nb0.reduceLanes(VectorOperators.ADD);
    float sb1 = nb1.reduceLanes(VectorOperators.ADD);
    float sb2 = nb2.reduceLanes(VectorOperators.ADD);
    float sb3 = nb3.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      long b = 4L * i;
      float x = a[i];
      float y0 = ScalarKernels.floatAt(seg, o0 + b);
      float y1 = ScalarKernels.floatAt(seg, o1 + b);
      float y2 = ScalarKernels.floatAt(seg, o2 + b);
      float y3 = ScalarKernels.floatAt(seg, o3 + b);
      sa += x * x;
      d0 += x * y0;
      d1 += x * y1;
      d2 += x * y2;
      d3 += x * y3;
      sb0 += y0 * y0;
      sb1 += y1 * y1;
      sb2 += y2 * y2;
      sb3 += y3 * y3;
    }
    out[0] = ScalarKernels.cosine(d0, sa, sb0);
    out[1] = ScalarKernels.cosine(d1, sa, sb1);
    out[2] = ScalarKernels.cosine(d2, sa, sb2);
    out[3] = ScalarKernels.cosine(d3, sa, sb3);
  }
}
