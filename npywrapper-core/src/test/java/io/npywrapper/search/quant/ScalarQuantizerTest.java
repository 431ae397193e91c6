package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Numpy;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScalarQuantizerTest {
  private static final WriteOptions SCRATCH = WriteOptions.DEFAULT.withoutSync();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Granularity.class)
  void decodedValuesAreWithinHalfAStepInsideTheRangeAndClampedOutside(Granularity g) {
    long seed = 11 + g.ordinal();
    System.out.println("error bound seed " + seed);
    float[][] rows = ClusteredData.generate(3000, 37, 5, seed);
    TrainingOptions opts = TrainingOptions.DEFAULTS.withGranularity(g).withConfidence(0.98f);
    ScalarQuantizer sq = ScalarQuantizer.train(rows, Metric.L2, opts);
    QuantizationParams p = sq.params();
    assertEquals(0.98f, p.confidence());
    byte[] code = new byte[37];
    int clamped = 0;
    for (float[] row : rows) {
      sq.encode(row, code);
      float[] back = sq.decode(code);
      for (int j = 0; j < 37; j++) {
        float s = p.steps()[j];
        float lo = p.offsets()[j] - 128 * s;
        float hi = p.offsets()[j] + 127 * s;
        float tol = 1e-5f * Math.max(1, Math.abs(row[j]));
        if (row[j] < lo) {
          assertEquals(lo, back[j], tol);
          clamped++;
        } else if (row[j] > hi) {
          assertEquals(hi, back[j], tol);
          clamped++;
        } else {
          assertTrue(Math.abs(row[j] - back[j]) <= s / 2 + tol, "dim " + j + ": " + row[j]);
        }
      }
    }
    // 2% of values lie outside a 98% range, by construction of the quantiles
    double fraction = clamped / (3000.0 * 37);
    assertTrue(fraction > 0.005 && fraction < 0.03, "clamped fraction " + fraction);
    if (g == Granularity.GLOBAL) {
      for (int j = 1; j < 37; j++) {
        assertEquals(p.steps()[0], p.steps()[j]);
      }
    }
  }

  @Test
  void constantDimensionsDecodeExactly() {
    Random rnd = new Random(5);
    float[][] rows = new float[500][4];
    for (float[] r : rows) {
      r[0] = 3.25f;
      r[1] = (float) rnd.nextGaussian();
      r[2] = -7f;
      r[3] = (float) rnd.nextGaussian();
    }
    for (Granularity g : Granularity.values()) {
      ScalarQuantizer sq =
          ScalarQuantizer.train(rows, Metric.L2, TrainingOptions.DEFAULTS.withGranularity(g));
      byte[] code = new byte[4];
      sq.encode(rows[7], code);
      float[] back = sq.decode(code);
      if (g == Granularity.PER_DIMENSION) {
        assertEquals(0f, sq.params().steps()[0]);
        assertEquals(3.25f, back[0]);
        assertEquals(-7f, back[2]);
        assertEquals(0, code[0]);
      }
      assertEquals(rows[7][1], back[1], 0.05f, g.toString());
    }
    float[][] allSame = new float[10][3];
    for (float[] r : allSame) {
      java.util.Arrays.fill(r, 1.5f);
    }
    ScalarQuantizer flat = ScalarQuantizer.train(allSame, Metric.L2, TrainingOptions.DEFAULTS);
    byte[] code = new byte[3];
    flat.encode(allSame[0], code);
    assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, flat.decode(code));
    assertEquals(0f, flat.prepare(allSame[0]).distance(MemorySegment.ofArray(code), 0));
  }

  @Test
  void cosineEncodesTheDirectionOnly() {
    float[][] rows = ClusteredData.generate(1000, 24, 4, 3);
    ScalarQuantizer sq = ScalarQuantizer.train(rows, Metric.COSINE, TrainingOptions.DEFAULTS);
    byte[] a = new byte[24];
    byte[] b = new byte[24];
    float[] scaled = rows[9].clone();
    for (int j = 0; j < scaled.length; j++) {
      scaled[j] *= 37;
    }
    sq.encode(rows[9], a);
    sq.encode(scaled, b);
    assertArrayEquals(a, b);
    float norm = 0;
    for (float v : sq.decode(a)) {
      norm += v * v;
    }
    assertEquals(1, norm, 0.02);
    assertEquals(
        0, sq.prepare(scaled).distance(MemorySegment.ofArray(a), 0), 0.01, "self distance");
  }

  /**
   * With the full range (no clamping) the error {@code e = x^ - x} has {@code |e_j| <= s_j / 2},
   * and the approximate distances stay within the bounds the javadoc of QuantizedQuery derives.
   */
  @ParameterizedTest
  @EnumSource(Metric.class)
  void approximateDistancesStayWithinTheDerivedBounds(Metric metric) {
    long seed = 99 + metric.ordinal();
    System.out.println("distance bound seed " + seed);
    float[][] rows = ClusteredData.generate(2000, 48, 8, seed);
    ScalarQuantizer sq =
        ScalarQuantizer.train(rows, metric, TrainingOptions.DEFAULTS.withConfidence(1f));
    float[] steps = sq.params().steps();
    double eMax = 0;
    for (float s : steps) {
      eMax += (s / 2.0) * (s / 2.0);
    }
    eMax = Math.sqrt(eMax);
    Random rnd = new Random(seed);
    byte[] code = new byte[48];
    for (int t = 0; t < 500; t++) {
      float[] x = rows[rnd.nextInt(rows.length)];
      float[] y = rows[rnd.nextInt(rows.length)];
      sq.encode(x, code);
      float approx = sq.prepare(y).distance(MemorySegment.ofArray(code), 0);
      float exact = metric.distance(x, y);
      double bound =
          switch (metric) {
            case L2 -> 2 * eMax * Math.sqrt(exact) + eMax * eMax;
            case DOT -> eMax * norm(y);
            case COSINE -> (2 * eMax * Math.sqrt(2 * exact) + eMax * eMax) / 2;
          };
      assertTrue(
          Math.abs(approx - exact) <= bound * 1.001 + 1e-4,
          metric + " pair " + t + ": approx " + approx + " exact " + exact + " bound " + bound);
    }
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void streamingEncodeOfAFileGivesTheInMemoryCodes(boolean float64Source) throws Exception {
    int n = 9000;
    int dim = 300; // about 3,500 rows per 1 MB block: three blocks, the last one partial
    float[][] rows = ClusteredData.generate(n, dim, 12, 4);
    Path vectorsFile = dir.resolve("vectors.npy");
    if (float64Source) {
      double[] flat = new double[n * dim];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < dim; j++) {
          flat[i * dim + j] = rows[i][j];
        }
      }
      NpyWriter.write(vectorsFile, flat, new long[] {n, dim}, SCRATCH);
    } else {
      NpyWriter.write(vectorsFile, rows, SCRATCH);
    }
    Path codesFile = dir.resolve(QuantizedVectors.CODES_FILE);
    Path paramsFile = dir.resolve(QuantizedVectors.PARAMS_FILE);
    ScalarQuantizer sq;
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      sq = ScalarQuantizer.train(vectors, Metric.L2, TrainingOptions.DEFAULTS);
      assertEquals(
          sq.params(), ScalarQuantizer.train(rows, Metric.L2, TrainingOptions.DEFAULTS).params());
      sq.encode(vectors, codesFile, paramsFile, SCRATCH);
    }
    try (QuantizedVectors codes = QuantizedVectors.open(codesFile, paramsFile)) {
      codes.verify();
      assertEquals(n, codes.size());
      assertEquals(sq.params(), codes.quantizer().params());
      byte[] expected = new byte[dim];
      for (int i = 0; i < n; i++) {
        sq.encode(rows[i], expected);
        byte[] actual =
            codes
                .data()
                .asSlice((long) i * dim, dim)
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertArrayEquals(expected, actual, "row " + i);
      }
    }
  }

  @Test
  void numpyReadsTheCodesAndDecodesThemWithTheDocumentedParameterLayout() throws Exception {
    int dim = 6;
    float[][] rows = ClusteredData.generate(50, dim, 2, 8);
    Path vectorsFile = dir.resolve("vectors.npy");
    NpyWriter.write(vectorsFile, rows, SCRATCH);
    ScalarQuantizer sq = ScalarQuantizer.train(rows, Metric.L2, TrainingOptions.DEFAULTS);
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      sq.encode(vectors, dir.resolve("c.npy"), dir.resolve("c.params"), SCRATCH);
    }
    byte[] code = new byte[dim];
    sq.encode(rows[49], code);
    float[] decoded = sq.decode(code);
    for (String python : Numpy.pythons()) {
      String out =
          Numpy.run(
              python,
              "import numpy as np\n"
                  + "a = np.load('c.npy')\n"
                  + "p = np.fromfile('c.params', dtype=np.uint8)\n"
                  + "d = int(p[12:16].view('<u4')[0])\n"
                  + "o = p[48:48+4*d].view('<f4')\n"
                  + "s = p[48+4*d:48+8*d].view('<f4')\n"
                  + "x = o + s * a[49].astype(np.float32)\n"
                  + "print(a.dtype, a.shape, ' '.join(str(int(v)) for v in a[49]))\n"
                  + "print(' '.join(repr(float(v)) for v in x))\n",
              dir);
      String[] lines = out.trim().split("\n");
      StringBuilder want = new StringBuilder("int8 (50, " + dim + ")");
      for (byte b : code) {
        want.append(' ').append(b);
      }
      assertEquals(want.toString(), lines[0].trim(), python);
      String[] values = lines[1].trim().split(" ");
      assertEquals(dim, values.length);
      for (int j = 0; j < dim; j++) {
        assertEquals(decoded[j], Float.parseFloat(values[j]), 1e-6f, python + " dim " + j);
      }
    }
  }

  @Test
  void nonFiniteValuesAreRejectedNamingFileAndRowAndNothingIsPublished() throws Exception {
    float[][] rows = ClusteredData.generate(100, 8, 2, 6);
    rows[61][3] = Float.NaN;
    Path vectorsFile = dir.resolve("vectors.npy");
    NpyWriter.write(vectorsFile, rows, SCRATCH);
    ScalarQuantizer sq =
        ScalarQuantizer.train(
            java.util.Arrays.copyOf(rows, 50), Metric.L2, TrainingOptions.DEFAULTS);
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> sq.encode(vectors, dir.resolve("c.npy"), dir.resolve("c.params"), SCRATCH));
      assertTrue(e.getMessage().contains(vectorsFile.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("row 61"), e.getMessage());
      IllegalArgumentException t =
          assertThrows(
              IllegalArgumentException.class,
              () -> ScalarQuantizer.train(vectors, Metric.L2, TrainingOptions.DEFAULTS));
      assertTrue(t.getMessage().contains("row 61"), t.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("c.npy")));
    assertFalse(Files.exists(dir.resolve("c.params")));
  }

  @Test
  void sampleIsSeededDistinctSortedAndBoundedByValueCount() {
    long[] a = Training.sampleRows(1_000_000, 25_000, 7);
    assertArrayEquals(a, Training.sampleRows(1_000_000, 25_000, 7));
    assertEquals(25_000, a.length);
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i] > a[i - 1]);
    }
    assertTrue(a[0] >= 0 && a[a.length - 1] < 1_000_000);
    assertEquals(
        TrainingOptions.MAX_SAMPLE_VALUES / 1024,
        Training.sampleSize(1_000_000, 1024, TrainingOptions.DEFAULTS));
    assertEquals(10, Training.sampleSize(10, 1024, TrainingOptions.DEFAULTS));
  }

  @Test
  void luceneScoresAreDecreasingInvertibleAndPositive() {
    float prev = Float.POSITIVE_INFINITY;
    for (float d = -50; d <= 50; d += 0.25f) {
      float s = LuceneScores.fromDistance(d);
      assertTrue(s > 0 && s < prev, "score " + s + " at " + d);
      assertEquals(d, LuceneScores.toDistance(s), 1e-4 * Math.max(1, Math.abs(d)));
      prev = s;
    }
  }

  @Test
  void optionsCheckTheirBounds() {
    assertThrows(
        IllegalArgumentException.class, () -> TrainingOptions.DEFAULTS.withConfidence(0.f - 1));
    assertThrows(
        IllegalArgumentException.class, () -> TrainingOptions.DEFAULTS.withConfidence(1.5f));
    assertThrows(IllegalArgumentException.class, () -> TrainingOptions.DEFAULTS.withSampleRows(0));
    assertThrows(
        IllegalArgumentException.class, () -> TrainingOptions.DEFAULTS.withGranularity(null));
  }
}
