package io.npywrapper.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VectorKernelsTest {
  private static final ValueLayout.OfFloat LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 16, 17, 31, 128, 1021})
  void simdAgreesWithScalarOnArraysAndMappedRows(int n) {
    VectorKernels simd = VectorKernels.simd();
    assertNotNull(simd, "the tests run with --add-modules jdk.incubator.vector");
    assertEquals(simd, VectorKernels.get());
    VectorKernels scalar = VectorKernels.scalar();
    Random rnd = new Random(n);
    for (int trial = 0; trial < 20; trial++) {
      float[] a = new float[n];
      float[] b = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = (float) rnd.nextGaussian();
        b[i] = (float) rnd.nextGaussian();
      }
      try (Arena arena = Arena.ofConfined()) {
        long off = 4L * 3; // a row not at the start of the segment
        MemorySegment seg = arena.allocate(4L * (n + 5), 1);
        for (int i = 0; i < n; i++) {
          seg.set(LE, off + 4L * i, b[i]);
        }
        for (Metric m : Metric.values()) {
          float ref = scalar.distance(m, a, b);
          float tol = 1e-4f * Math.max(1, Math.abs(ref)) + 1e-5f * n;
          assertEquals(m.distance(a, b), ref, tol, m + " scalar vs Metric");
          assertEquals(ref, simd.distance(m, a, b), tol, m + " simd array, n=" + n);
          assertEquals(ref, simd.distance(m, a, seg, off), tol, m + " simd segment, n=" + n);
          assertEquals(ref, scalar.distance(m, a, seg, off), tol, m + " scalar segment, n=" + n);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 15, 16, 17, 127, 128, 784, 785, 1021})
  void fourRowsAtOnceMatchOneAtATimeForEveryMetric(int n) {
    long seed = 31L * n;
    System.out.println("seed " + seed);
    Random rnd = new Random(seed);
    VectorKernels simd = VectorKernels.simd();
    assertNotNull(simd, "the tests run with --add-modules jdk.incubator.vector");
    VectorKernels scalar = VectorKernels.scalar();
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    try (Arena arena = Arena.ofConfined()) {
      int rows = 7;
      long base = 4; // rows start one float into the segment: unaligned for the SIMD loads
      MemorySegment seg = arena.allocate(base + 4L * n * rows, 1);
      for (long i = 0; i < (long) n * rows; i++) {
        seg.set(LE, base + 4L * i, (float) rnd.nextGaussian());
      }
      // row 6 stays all zeros: its cosine distance is 1 in every implementation
      for (int i = 0; i < n; i++) {
        seg.set(LE, base + 4L * n * 6 + 4L * i, 0f);
      }
      long[][] picks = {
        {base + 4L * n * 5, base, base + 4L * n * 2, base + 4L * n * 5}, // repeats allowed
        {base + 4L * n * 6, base + 4L * n, base + 4L * n * 3, base + 4L * n * 4}
      };
      for (long[] o : picks) {
        for (Metric m : Metric.values()) {
          float[] fromSimd = new float[4];
          float[] fromScalar = new float[4];
          simd.distance4(m, a, seg, o[0], o[1], o[2], o[3], fromSimd);
          scalar.distance4(m, a, seg, o[0], o[1], o[2], o[3], fromScalar);
          for (int j = 0; j < 4; j++) {
            float ref = scalar.distance(m, a, seg, o[j]);
            float tol = 1e-4f * Math.max(1, Math.abs(ref)) + 1e-5f * n;
            String what = m + " row " + j + ", n=" + n;
            assertEquals(ref, fromScalar[j], tol, "scalar 4-row vs 1-row, " + what);
            assertEquals(ref, fromSimd[j], tol, "panama 4-row vs scalar 1-row, " + what);
            assertEquals(
                simd.distance(m, a, seg, o[j]), fromSimd[j], tol, "panama 4-row vs 1-row, " + what);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 1021})
  void zeroVectorHasCosineDistanceOne(int n) {
    float[] a = new float[n];
    float[] b = new float[n];
    b[0] = 1;
    assertEquals(1f, VectorKernels.scalar().cosineDistance(a, b));
    assertEquals(1f, VectorKernels.simd().cosineDistance(a, b));
  }
}
