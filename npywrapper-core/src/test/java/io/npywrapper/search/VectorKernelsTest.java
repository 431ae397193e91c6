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
  @ValueSource(ints = {1, 7, 16, 17, 128, 784, 1021})
  void fourRowsAtOnceMatchOneAtATime(int n) {
    Random rnd = new Random(31L * n);
    System.out.println("seed " + 31L * n);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    try (Arena arena = Arena.ofConfined()) {
      int rows = 6;
      MemorySegment seg = arena.allocate(4L * n * rows, 1);
      for (long i = 0; i < (long) n * rows; i++) {
        seg.set(LE, 4L * i, (float) rnd.nextGaussian());
      }
      long[] o = {4L * n * 5, 0, 4L * n * 2, 4L * n * 5}; // any rows, repeats allowed
      for (VectorKernels k : new VectorKernels[] {VectorKernels.get(), VectorKernels.scalar()}) {
        float[] out = new float[4];
        k.squareDistance4(a, seg, o[0], o[1], o[2], o[3], out);
        for (int j = 0; j < 4; j++) {
          float ref = VectorKernels.scalar().squareDistance(a, seg, o[j]);
          float tol = 1e-4f * Math.max(1, Math.abs(ref)) + 1e-5f * n;
          assertEquals(ref, out[j], tol, k.name() + " row " + j + ", n=" + n);
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
