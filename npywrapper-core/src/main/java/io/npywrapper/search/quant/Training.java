package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Learns quantization ranges from sample rows: the {@code confidence} central quantiles of the
 * sample's values, per dimension or over all values. Stateless; not instantiable.
 */
final class Training {
  private Training() {}

  /** A source of float32 rows: the training reads only the rows it samples. */
  interface RowSource {
    long rows();

    int dimension();

    /** Reads row {@code r} into {@code dst}. */
    void read(long r, float[] dst);

    /** The file or description of the rows, for error messages. */
    String name();
  }

  /** How many rows training reads from {@code n}. */
  static int sampleSize(long n, int dim, TrainingOptions options) {
    long byValues = Math.max(1, TrainingOptions.MAX_SAMPLE_VALUES / dim);
    return (int) Math.min(n, Math.min(options.sampleRows(), byValues));
  }

  /** {@code m} distinct row numbers below {@code n} in ascending order (Floyd's sampling). */
  static long[] sampleRows(long n, int m, long seed) {
    if (m >= n) {
      long[] all = new long[(int) n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    Random random = new Random(seed);
    Set<Long> chosen = new HashSet<>(m * 2);
    for (long j = n - m; j < n; j++) {
      long t = (long) (random.nextDouble() * (j + 1));
      if (t > j) {
        t = j;
      }
      if (!chosen.add(t)) {
        chosen.add(j);
      }
    }
    long[] out = chosen.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(out);
    return out;
  }

  static QuantizationParams train(RowSource src, Metric metric, TrainingOptions options) {
    int dim = src.dimension();
    if (src.rows() < 1) {
      throw new IllegalArgumentException(src.name() + ": no rows to train a quantizer on");
    }
    int m = sampleSize(src.rows(), dim, options);
    long[] rows = sampleRows(src.rows(), m, options.seed());
    boolean perDim = options.granularity() == Granularity.PER_DIMENSION;
    float[] values = new float[m * dim]; // per-dimension: dimension-major; global: any order
    float[] row = new float[dim];
    for (int i = 0; i < m; i++) {
      src.read(rows[i], row);
      ScalarQuantizer.checkFinite(row, src.name(), rows[i]);
      if (metric == Metric.COSINE) {
        ScalarQuantizer.normalize(row);
      }
      for (int j = 0; j < dim; j++) {
        values[perDim ? j * m + i : i * dim + j] = row[j];
      }
    }
    float confidence = options.confidenceFor(metric);
    float[] offsets = new float[dim];
    float[] steps = new float[dim];
    if (perDim) {
      for (int j = 0; j < dim; j++) {
        Arrays.sort(values, j * m, (j + 1) * m);
        range(values, j * m, m, confidence, offsets, steps, j);
      }
    } else {
      Arrays.sort(values);
      range(values, 0, values.length, confidence, offsets, steps, 0);
      Arrays.fill(offsets, offsets[0]);
      Arrays.fill(steps, steps[0]);
    }
    return new QuantizationParams(
        metric, options.granularity(), confidence, m, options.seed(), offsets, steps);
  }

  /**
   * Sets {@code offsets[j]} and {@code steps[j]} from the sorted {@code sorted[from, from+count)}:
   * the range [lo, hi] between the two central quantiles is cut into 255 steps, code -128 at lo and
   * 127 at hi, so {@code offset = lo + 128 * step}. An empty range gives step 0 and offset lo.
   */
  private static void range(
      float[] sorted,
      int from,
      int count,
      float confidence,
      float[] offsets,
      float[] steps,
      int j) {
    double tail = (1 - (double) confidence) / 2;
    int loAt = (int) Math.floor(tail * (count - 1));
    int hiAt = (int) Math.ceil((1 - tail) * (count - 1));
    double lo = sorted[from + loAt];
    double hi = sorted[from + hiAt];
    float step = (float) ((hi - lo) / 255);
    if (!(step > 0) || !Float.isFinite(step) || !Float.isFinite((float) (lo + 128.0 * step))) {
      steps[j] = 0;
      offsets[j] = (float) lo;
      return;
    }
    steps[j] = step;
    offsets[j] = (float) (lo + 128.0 * step);
  }
}
