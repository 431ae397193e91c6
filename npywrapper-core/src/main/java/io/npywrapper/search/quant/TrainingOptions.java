package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;

/**
 * How a {@link ScalarQuantizer} learns its ranges. Immutable and thread-safe; bounds are checked
 * when built.
 *
 * @param granularity one range for all dimensions or one per dimension
 * @param confidence the central fraction of sample values each range covers, in (0, 1]; values
 *     outside it are clamped to the range's ends. {@code 0} means automatic: 0.999 for L2 and
 *     cosine, 1 (the full range) for dot, whose nearest rows are often the extreme ones that
 *     clamping would distort (measured on clustered data: recall@10 from the codes alone 0.97 with
 *     0.999 and 0.98 with 1 versus 0.80 with 0.99 for dot)
 * @param sampleRows at most this many rows (chosen at random with {@code seed}) are read to learn
 *     the ranges; fewer when {@code sampleRows * dim} would exceed {@value #MAX_SAMPLE_VALUES}
 *     values, so training never needs more than 16 MB of heap
 * @param seed the seed of the row sample
 */
public record TrainingOptions(
    Granularity granularity, float confidence, int sampleRows, long seed) {

  /** The default sample size, in rows. */
  public static final int DEFAULT_SAMPLE_ROWS = 25_000;

  /** The most sample values (rows times dimension) held in memory while training. */
  public static final int MAX_SAMPLE_VALUES = 1 << 22;

  /** Per-dimension ranges, automatic confidence, 25,000 sample rows, seed 42. */
  public static final TrainingOptions DEFAULTS =
      new TrainingOptions(Granularity.PER_DIMENSION, 0, DEFAULT_SAMPLE_ROWS, 42);

  public TrainingOptions {
    if (granularity == null) {
      throw new IllegalArgumentException("granularity must not be null");
    }
    if (!(confidence == 0 || (confidence > 0 && confidence <= 1))) {
      throw new IllegalArgumentException(
          "confidence must be 0 (automatic) or in (0, 1], got " + confidence);
    }
    if (sampleRows < 1) {
      throw new IllegalArgumentException("sampleRows must be at least 1, got " + sampleRows);
    }
  }

  public TrainingOptions withGranularity(Granularity g) {
    return new TrainingOptions(g, confidence, sampleRows, seed);
  }

  public TrainingOptions withConfidence(float c) {
    return new TrainingOptions(granularity, c, sampleRows, seed);
  }

  public TrainingOptions withSampleRows(int rows) {
    return new TrainingOptions(granularity, confidence, rows, seed);
  }

  public TrainingOptions withSeed(long s) {
    return new TrainingOptions(granularity, confidence, sampleRows, s);
  }

  /** The confidence used for {@code metric}. */
  float confidenceFor(Metric metric) {
    return confidence != 0 ? confidence : metric == Metric.DOT ? 1f : 0.999f;
  }
}
