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

  /** The little-endian float32 at byte {@code offset} of {@code seg}. */
  static float floatAt(MemorySegment seg, long offset) {
    return seg.get(FLOAT_LE, offset);
  }

  /** One minus the cosine from a dot product and two squared norms; 1 for a zero vector. */
  static float cosine(float dot, float na, float nb) {
    return na == 0 || nb == 0 ? 1 : 1 - dot / (float) Math.sqrt((double) na * nb);
  }
}
