package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;
import java.util.Arrays;
import java.util.Objects;

/**
 * The learned parameters of an int8 scalar quantizer: for every dimension {@code j} an offset
 * {@code o[j]} and a step {@code s[j]} such that a code {@code c} in {@code [-128, 127]} stands for
 * the value {@code o[j] + s[j] * c}. A dimension whose sample range is empty (a constant dimension)
 * has step 0: all its codes are 0 and decode to the constant. For {@link Metric#COSINE} the
 * parameters describe the rows after normalization to unit length.
 *
 * <p>Immutable and thread-safe; the arrays are copied in and out.
 *
 * @param metric the distance the codes are compared with
 * @param granularity whether the range was learned globally or per dimension
 * @param confidence the central fraction of sample values the range covers, in (0, 1]
 * @param sampleRows how many rows the range was learned from
 * @param seed the seed that chose the sample rows
 */
public record QuantizationParams(
    Metric metric,
    Granularity granularity,
    float confidence,
    int sampleRows,
    long seed,
    float[] offsets,
    float[] steps) {

  /** The largest dimension supported (the parameters file is rejected above it, never read). */
  public static final int MAX_DIMENSION = 1 << 16;

  public QuantizationParams {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(granularity, "granularity");
    if (!(confidence > 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1], got " + confidence);
    }
    if (sampleRows < 0) {
      throw new IllegalArgumentException("sampleRows must be >= 0, got " + sampleRows);
    }
    if (offsets.length != steps.length || offsets.length < 1 || offsets.length > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "offsets and steps must have the same length in [1, "
              + MAX_DIMENSION
              + "], got "
              + offsets.length
              + " and "
              + steps.length);
    }
    for (int j = 0; j < steps.length; j++) {
      if (!Float.isFinite(offsets[j]) || !Float.isFinite(steps[j]) || steps[j] < 0) {
        throw new IllegalArgumentException(
            "dimension "
                + j
                + ": offset and step must be finite and the step >= 0, got offset "
                + offsets[j]
                + " step "
                + steps[j]);
      }
    }
    offsets = offsets.clone();
    steps = steps.clone();
  }

  /** The number of dimensions. */
  public int dimension() {
    return offsets.length;
  }

  @Override
  public float[] offsets() {
    return offsets.clone();
  }

  @Override
  public float[] steps() {
    return steps.clone();
  }

  /** The offset of dimension {@code j}, without copying. */
  float offset(int j) {
    return offsets[j];
  }

  /** The step of dimension {@code j}, without copying. */
  float step(int j) {
    return steps[j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantizationParams p
        && metric == p.metric
        && granularity == p.granularity
        && Float.compare(confidence, p.confidence) == 0
        && sampleRows == p.sampleRows
        && seed == p.seed
        && Arrays.equals(offsets, p.offsets)
        && Arrays.equals(steps, p.steps);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metric, granularity, confidence, sampleRows, seed)
        + 31 * Arrays.hashCode(offsets)
        + 17 * Arrays.hashCode(steps);
  }

  @Override
  public String toString() {
    return "QuantizationParams{"
        + metric.id()
        + ", "
        + granularity
        + ", dim="
        + offsets.length
        + ", confidence="
        + confidence
        + ", sampleRows="
        + sampleRows
        + ", seed="
        + seed
        + "}";
  }
}
