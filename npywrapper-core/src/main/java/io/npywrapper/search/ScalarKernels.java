package io.npywrapper.search;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Plain Java distance kernels: the fallback and the reference of the SIMD ones. Thread-safe. */
final class ScalarKernels implements VectorKernels {
  static final ScalarKernels INSTANCE = new ScalarKernels();
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      float d = a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  @Override
  public float negatedDot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return -s;
  }

  @Override
  public float cosineDistance(float[] a, float[] b) {
    float dot = 0;
    float na = 0;
    float nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return cosine(dot, na, nb);
  }

  @Override
  public float squareDistance(float[] a, MemorySegment seg, long offset) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      float d = a[i] - seg.get(FLOAT_LE, offset + 4L * i);
      s += d * d;
    }
    return s;
  }

  @Override
  public float negatedDot(float[] a, MemorySegment seg, long offset) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * seg.get(FLOAT_LE, offset + 4L * i);
    }
    return -s;
  }

  @Override
  public float cosineDistance(float[] a, MemorySegment seg, long offset) {
    float dot = 0;
    float na = 0;
    float nb = 0;
    for (int i = 0; i < a.length; i++) {
      float b = seg.get(FLOAT_LE, offset + 4L * i);
      dot += a[i] * b;
      na += a[i] * a[i];
      nb += b * b;
    }
    return cosine(dot, na, nb);
  }

  @Override
  public void squareDistance4(
      float[] a, MemorySegment seg, long o0, long o1, long o2, long o3, float[] out) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    for (int i = 0; i < a.length; i++) {
      long b = 4L * i;
      float d0 = a[i] - seg.get(FLOAT_LE, o0 + b);
      float d1 = a[i] - seg.get(FLOAT_LE, o1 + b);
      float d2 = a[i] - seg.get(FLOAT_LE, o2 + b);
      float d3 = a[i] - seg.get(FLOAT_LE, o3 + b);
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
  public void negatedDot4(
      float[] a, MemorySegment seg, long o0, long o1, long o2, long o3, float[] out) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    for (int i = 0; i < a.length; i++) {
      long b = 4L * i;
      s0 += a[i] * seg.get(FLOAT_LE, o0 + b);
      s1 += a[i] * seg.get(FLOAT_LE, o1 + b);
      s2 += a[i] * seg.get(FLOAT_LE, o2 + b);
      s3 += a[i] * seg.get(FLOAT_LE, o3 + b);
    }
    out[0] = -s0;
    out[1] = -s1;
    out[2] = -s2;
    out[3] = -s3;
  }

  @Override
  public void cosineDistance4(
      float[] a, MemorySegment seg, long o0, long o1, long o2, long o3, float[] out) {
    float na = 0;
    float d0 = 0;
    float d1 = 0;
    float d2 = 0;
    float d3 = 0;
    float nb0 = 0;
    float nb1 = 0;
    float nb2 = 0;
    float nb3 = 0;
    for (int i = 0; i < a.length; i++) {
      long b = 4L * i;
      float x = a[i];
      float y0 = seg.get(FLOAT_LE, o0 + b);
      float y1 = seg.get(FLOAT_LE, o1 + b);
      float y2 = seg.get(FLOAT_LE, o2 + b);
      float y3 = seg.get(FLOAT_LE, o3 + b);
      na += x * x;
      d0 += x * y0;
      d1 += x * y1;
      d2 += x * y2;
      d3 += x * y3;
      nb0 += y0 * y0;
      nb1 += y1 * y1;
      nb2 += y2 * y2;
      nb3 += y3 * y3;
    }
    out[0] = cosine(d0, na, nb0);
    out[1] = cosine(d1, na, nb1);
    out[2] = cosine(d2, na, nb2);
    out[3] = cosine(d3, na, nb3);
  }

  /** The little-endian float32 at byte {@code offset} of {@code seg}. */
  static float floatAt(MemorySegment seg, long offset) {
    return seg.get(FLOAT_LE, offset);
  }

  /** One minus the cosine from a dot product and two squared norms; 1 for a zero vector. */
  static float cosine(float dot, float na, float nb) {
    return na == 0 || nb == 0 ? 1 : 1 - dot / (float) Math.sqrt((double) na * nb);
  }
}
