package io.npywrapper.search.quant;

import java.lang.foreign.MemorySegment;

/**
 * Run by {@link Int8KernelsTest} in a JVM without {@code jdk.incubator.vector}: prints the chosen
 * kernels' name and one distance, proving the fallback is chosen and works.
 */
public final class KernelChoiceChild {
  public static void main(String[] args) {
    byte[] codes = {1, -2, 3};
    float d = Int8Kernels.get().dot(new float[] {1, 1, 1}, MemorySegment.ofArray(codes), 0);
    System.out.println(Int8Kernels.get().name() + " " + (Int8Kernels.simd() == null) + " " + d);
  }
}
