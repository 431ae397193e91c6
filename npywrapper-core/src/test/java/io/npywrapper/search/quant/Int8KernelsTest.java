package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Int8KernelsTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 784, 1021})
  void simdAgreesWithScalarAndWithADoubleReference(int n) {
    Int8Kernels simd = Int8Kernels.simd();
    assertNotNull(simd, "the tests run with --add-modules jdk.incubator.vector");
    assertEquals(simd, Int8Kernels.get());
    Int8Kernels scalar = Int8Kernels.scalar();
    long seed = 1000L + n;
    System.out.println("Int8KernelsTest seed " + seed);
    Random rnd = new Random(seed);
    for (int trial = 0; trial < 20; trial++) {
      byte[] bytes = new byte[n + 11];
      rnd.nextBytes(bytes);
      MemorySegment seg = MemorySegment.ofArray(bytes);
      long off = rnd.nextInt(11); // rows need not be aligned
      float[] w = new float[n];
      float[] steps = new float[n];
      float[] shifts = new float[n];
      double refDot = 0;
      double refSq = 0;
      for (int j = 0; j < n; j++) {
        w[j] = (float) rnd.nextGaussian();
        steps[j] = trial % 2 == 0 ? 0.01f : (float) rnd.nextDouble() * 0.02f;
        shifts[j] = (float) rnd.nextGaussian();
        byte c = bytes[(int) off + j];
        refDot += (double) w[j] * c;
        double d = (double) steps[j] * c + shifts[j];
        refSq += d * d;
      }
      float dotTol = 1e-4f * n;
      float sqTol = (float) (1e-5 * Math.max(1, refSq));
      assertEquals(refDot, scalar.dot(w, seg, off), dotTol, "scalar dot n=" + n);
      assertEquals(refDot, simd.dot(w, seg, off), dotTol, "simd dot n=" + n);
      assertEquals(refSq, scalar.squareDistance(steps, shifts, seg, off), sqTol, "scalar sq");
      assertEquals(refSq, simd.squareDistance(steps, shifts, seg, off), sqTol, "simd sq n=" + n);
      float[] a = new float[n];
      float[] b = new float[n];
      scalar.decode(steps, shifts, seg, off, a);
      simd.decode(steps, shifts, seg, off, b);
      for (int j = 0; j < n; j++) {
        float ref = steps[j] * bytes[(int) off + j] + shifts[j];
        assertEquals(ref, a[j], 1e-6f * Math.max(1, Math.abs(ref)), "scalar decode");
        assertEquals(ref, b[j], 1e-6f * Math.max(1, Math.abs(ref)), "simd decode n=" + n);
      }
    }
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelsAreChosen() throws Exception {
    List<String> cmd =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx64m",
            "-cp",
            System.getProperty("java.class.path"),
            KernelChoiceChild.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("int8 kernels: scalar"), out);
    assertTrue(out.contains("scalar true 2.0"), out);
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 1021})
  void extremeCodesDoNotOverflow(int n) {
    byte[] bytes = new byte[n];
    float[] ones = new float[n];
    float[] zeros = new float[n];
    for (int j = 0; j < n; j++) {
      bytes[j] = j % 2 == 0 ? Byte.MIN_VALUE : Byte.MAX_VALUE;
      ones[j] = 1;
    }
    MemorySegment seg = MemorySegment.ofArray(bytes);
    double expectedSq = 0;
    double expectedDot = 0;
    for (byte b : bytes) {
      expectedSq += (double) b * b;
      expectedDot += b;
    }
    for (Int8Kernels k : new Int8Kernels[] {Int8Kernels.scalar(), Int8Kernels.simd()}) {
      assertEquals(expectedSq, k.squareDistance(ones, zeros, seg, 0), 1e-6 * expectedSq, k.name());
      assertEquals(expectedDot, k.dot(ones, seg, 0), 1e-3, k.name());
    }
  }
}
