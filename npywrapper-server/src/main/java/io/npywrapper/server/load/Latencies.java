package io.npywrapper.server.load;

import java.util.Arrays;

/**
 * Latencies of one kind of operation, in nanoseconds, kept exactly (a growing array) and summarised
 * by sorting: percentiles are the nearest-rank values. Cheap to record into from the one thread
 * that owns it; not thread-safe (give each client thread its own and {@link #merge} them).
 */
public final class Latencies {
  private long[] values = new long[1024];
  private int count;

  /** Records one latency. */
  public void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[count++] = nanos;
  }

  /** Adds every latency of {@code other} to this one. */
  public void merge(Latencies other) {
    for (int i = 0; i < other.count; i++) {
      add(other.values[i]);
    }
  }

  public int count() {
    return count;
  }

  /**
   * The nearest-rank percentile {@code p} (0 &lt; p ≤ 100) in nanoseconds: the smallest recorded
   * value that at least {@code p}% of the values do not exceed; 0 when nothing was recorded.
   */
  public long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * count);
    return sorted[Math.max(0, rank - 1)];
  }

  /** The largest value, 0 when empty. */
  public long max() {
    long m = 0;
    for (int i = 0; i < count; i++) {
      m = Math.max(m, values[i]);
    }
    return m;
  }
}
