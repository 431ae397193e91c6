package io.npywrapper.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Repeated measurements of one quantity (durations in nanoseconds), summarised by their median:
 * robust against the noise of a shared machine. Immutable and thread-safe.
 */
public final class Samples {
  private final double[] sorted;

  private Samples(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The given measurements, in any order. */
  public static Samples of(double... values) {
    return new Samples(values);
  }

  /** The given measurements, in any order. */
  public static Samples of(List<? extends Number> values) {
    return new Samples(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  public int count() {
    return sorted.length;
  }

  /** The median: the middle value, or the mean of the two middle values. */
  public double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  /** Every value, sorted ascending. */
  public double[] values() {
    return sorted.clone();
  }
}
