package io.npywrapper.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a side-by-side comparison: our durations and numpy's for the same work, in
 * nanoseconds. A measurement with {@code bytes > 0} is a throughput (GB/s = 10^9 bytes/s, from the
 * median duration); one without is a latency reported in microseconds. The ratio is always our
 * speed over numpy's (numpy's median time over ours): above 1 we are faster. Immutable and
 * thread-safe.
 *
 * @param name what was measured
 * @param ours our durations
 * @param numpy numpy's durations for the same work
 * @param bytes bytes processed per run, or 0 for a latency
 * @param goal the ratio, or for a latency the most microseconds, to meet; NaN for none
 */
public record Measurement(String name, Samples ours, Samples numpy, long bytes, double goal) {

  /** A throughput comparison of {@code bytes} per run, with goal ratio {@code goal}. */
  public static Measurement throughput(
      String name, Samples ours, Samples numpy, long bytes, double goal) {
    return new Measurement(name, ours, numpy, bytes, goal);
  }

  /** A latency comparison; {@code maxMicros} is the goal for our median. */
  public static Measurement latency(String name, Samples ours, Samples numpy, double maxMicros) {
    return new Measurement(name, ours, numpy, 0, maxMicros);
  }

  public boolean isThroughput() {
    return bytes > 0;
  }

  public String unit() {
    return isThroughput() ? "GB/s" : "us";
  }

  /** Our median in {@link #unit()}. */
  public double oursValue() {
    return value(ours);
  }

  /** numpy's median in {@link #unit()}. */
  public double numpyValue() {
    return value(numpy);
  }

  private double value(Samples s) {
    return isThroughput() ? bytes / s.median() : s.median() / 1e3;
  }

  /** Our speed over numpy's, from the medians. */
  public double ratio() {
    return numpy.median() / ours.median();
  }

  /** Whether the goal is met; true when there is none. */
  public boolean meetsGoal() {
    if (Double.isNaN(goal)) {
      return true;
    }
    return isThroughput() ? ratio() >= goal : oursValue() < goal;
  }

  /** The goal as text for the table. */
  public String goalText() {
    if (Double.isNaN(goal)) {
      return "";
    }
    return (isThroughput() ? String.format("ratio >= %.2f", goal) : "< " + fmt(goal) + " us")
        + (meetsGoal() ? "  met" : "  MISSED");
  }

  /** The measurement as a JSON-ready map: medians, ranges, run counts. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("unit", unit());
    m.put("ours", round(oursValue()));
    m.put("numpy", round(numpyValue()));
    m.put("ratio", round(ratio()));
    if (!Double.isNaN(goal)) {
      m.put("goal", goal);
      m.put("goal_met", meetsGoal());
    }
    if (isThroughput()) {
      m.put("bytes", bytes);
    }
    m.put("ours_ns", summary(ours));
    m.put("numpy_ns", summary(numpy));
    return m;
  }

  private static Map<String, Object> summary(Samples s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", Math.round(s.median()));
    m.put("min", Math.round(s.min()));
    m.put("max", Math.round(s.max()));
    m.put("n", s.count());
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String fmt(double v) {
    return v >= 100 ? String.format("%.0f", v) : String.format("%.2f", v);
  }
}
