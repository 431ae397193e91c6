package io.npywrapper.search.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Plain Java int8 kernels: the fallback and the reference of the SIMD ones. Thread-safe. */
final class ScalarInt8Kernels implements Int8Kernels {
  static final ScalarInt8Kernels INSTANCE = new ScalarInt8Kernels();

  private ScalarInt8Kernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] weights, MemorySegment codes, long offset) {
    float s = 0;
    for (int j = 0; j < weights.length; j++) {
      s += weights[j] * codes.get(ValueLayout.JAVA_BYTE, offset + j);
    }
    return s;
  }

  @Override
  public float squareDistance(float[] steps, float[] shifts, MemorySegment codes, long offset) {
    float s = 0;
    for (int j = 0; j < steps.length; j++) {
      float d = steps[j] * codes.get(ValueLayout.JAVA_BYTE, offset + j) + shifts[j];
      s += d * d;
    }
    return s;
  }

  @Override
  public void decode(
      float[] scales, float[] shifts, MemorySegment codes, long offset, float[] out) {
    for (int j = 0; j < out.length; j++) {
      out[j] = scales[j] * codes.get(ValueLayout.JAVA_BYTE, offset + j) + shifts[j];
    }
  }
}
