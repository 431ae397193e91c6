package io.npywrapper.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void manyRowsAtOnceMatchOneAtATimeForEveryMetric(int n) {
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
      // Every count from 0 to 40 goes through each mix of 16-, 8-, 4- and single-row
      // passes; rows repeat (as a walk never asks, but nothing forbids) and come in random order.
      for (int count = 0; count <= 40; count++) {
        long[] offsets = new long[count + 2];
        for (int j = 0; j < count; j++) {
          offsets[j] = base + 4L * n * rnd.nextInt(rows);
        }
        for (Metric m : Metric.values()) {
          float[] fromSimd = new float[count + 2];
          float[] fromScalar = new float[count + 2];
          fromSimd[count] = fromScalar[count] = -7f; // past count: left alone
          simd.distances(m, a, seg, offsets, count, fromSimd);
          scalar.distances(m, a, seg, offsets, count, fromScalar);
          for (int j = 0; j < count; j++) {
            float ref = scalar.distance(m, a, seg, offsets[j]);
            float tol = 1e-4f * Math.max(1, Math.abs(ref)) + 1e-5f * n;
            String what = m + " row " + j + " of " + count + ", n=" + n;
            assertEquals(ref, fromScalar[j], tol, "scalar bulk vs 1-row, " + what);
            assertEquals(ref, fromSimd[j], tol, "panama bulk vs scalar 1-row, " + what);
            assertEquals(
                simd.distance(m, a, seg, offsets[j]),
                fromSimd[j],
                tol,
                "panama bulk vs 1-row, " + what);
          }
          assertEquals(-7f, fromSimd[count], m + " panama wrote past count " + count);
          assertEquals(-7f, fromScalar[count], m + " scalar wrote past count " + count);
        }
      }
    }
  }

  /**
   * {@code distancesAtMost} gives back exactly the rows (in order) whose distance is not above the
   * limit, with the single-row kernel's distances; at 64 and 128 dimensions one of them is the
   * fused kernel on 256- or 512-bit vectors, at 13 the generic loop. A NaN row always comes back.
   */
  @ParameterizedTest
  @ValueSource(ints = {13, 64, 128})
  void distancesAtMostKeepsTheRowsWithinTheLimit(int n) {
    VectorKernels simd = VectorKernels.simd();
    Random rnd = new Random(n);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextInt(5) - 2;
    }
    int rows = 300;
    try (Arena arena = Arena.ofConfined()) {
      long base = 4;
      MemorySegment seg = arena.allocate(base + 4L * n * rows, 1);
      for (long i = 0; i < (long) n * rows; i++) {
        seg.set(LE, base + 4L * i, rnd.nextInt(5) - 2f); // a coarse grid: many equal distances
      }
      seg.set(LE, base + 4L * n * 7, Float.NaN); // row 7's distance is NaN
      long[] offsets = new long[rows];
      for (int r = 0; r < rows; r++) {
        offsets[r] = base + 4L * n * r;
      }
      float median = simd.distance(Metric.L2, a, seg, offsets[rows / 2]);
      for (VectorKernels k : new VectorKernels[] {simd, VectorKernels.scalar()}) {
        for (float limit : new float[] {Float.POSITIVE_INFINITY, median, -1f}) {
          int[] hits = new int[rows];
          float[] dist = new float[rows];
          int h = k.distancesAtMost(Metric.L2, a, seg, offsets, rows, limit, hits, dist);
          int want = 0;
          for (int r = 0; r < rows; r++) {
            float d = k.distance(Metric.L2, a, seg, offsets[r]);
            if (!(d > limit)) {
              String what = k.name() + " n=" + n + " limit " + limit + " row " + r;
              assertEquals(r, hits[want], what);
              assertEquals(d, dist[want], 1e-3f, what);
              want++;
            }
          }
          assertEquals(want, h, k.name() + " n=" + n + " limit " + limit);
          assertTrue(h > 0, "the NaN row at least");
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
