package io.npywrapper.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a benchmark run: context (machine, versions, sizes, load) and the measurements,
 * printed as a readable table followed by one JSON line prefixed {@code RESULT }. Not thread-safe:
 * one thread fills it.
 */
public final class Report {
  private final String bench;
  private final Map<String, Object> context = new LinkedHashMap<>();
  private final List<Measurement> measurements = new ArrayList<>();

  public Report(String bench) {
    this.bench = bench;
  }

  /** Adds a context entry (shown above the table and in the JSON). */
  public Report context(String key, Object value) {
    context.put(key, value);
    return this;
  }

  public Report add(Measurement m) {
    measurements.add(m);
    return this;
  }

  public List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  /** Prints the table and then the JSON line. */
  public void print(PrintStream out) {
    out.println();
    out.println("== npyWrapper vs numpy: " + bench + " ==");
    context.forEach((k, v) -> out.println("  " + k + ": " + v));
    out.println();
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "measurement", "unit", "ours", "numpy", "ratio", "goal", "ours min..max", "numpy min..max"
        });
    for (Measurement m : measurements) {
      rows.add(
          new String[] {
            m.name(),
            m.unit(),
            Measurement.fmt(m.oursValue()),
            Measurement.fmt(m.numpyValue()),
            String.format("%.2f", m.ratio()),
            m.goalText(),
            range(m, m.ours()),
            range(m, m.numpy())
          });
    }
    printTable(out, rows);
    out.println(
        "  medians of the runs; ratio = our speed / numpy's (numpy's median time / ours);"
            + " GB = 10^9 bytes");
    out.println();
    out.println("RESULT " + toJson());
  }

  private static String range(Measurement m, Samples s) {
    // Throughput: the fastest run is the max GB/s, so print slow..fast as min..max.
    if (m.isThroughput()) {
      return Measurement.fmt(m.bytes() / s.max()) + ".." + Measurement.fmt(m.bytes() / s.min());
    }
    return Measurement.fmt(s.min() / 1e3) + ".." + Measurement.fmt(s.max() / 1e3);
  }

  private static void printTable(PrintStream out, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      StringBuilder sb = new StringBuilder("  ");
      for (int c = 0; c < cols; c++) {
        String cell = rows.get(i)[c];
        // Text columns left-aligned, numbers right-aligned.
        String f = (c == 0 || c == 1 || c == 5) ? "%-" + width[c] + "s" : "%" + width[c] + "s";
        sb.append(String.format(f, cell)).append(c + 1 < cols ? "  " : "");
      }
      out.println(sb.toString().stripTrailing());
      if (i == 0) {
        StringBuilder rule = new StringBuilder("  ");
        for (int c = 0; c < cols; c++) {
          rule.append("-".repeat(width[c])).append(c + 1 < cols ? "  " : "");
        }
        out.println(rule);
      }
    }
  }

  /** The whole report as one JSON object. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", bench);
    m.putAll(context);
    m.put("results", measurements.stream().map(Measurement::toJson).toList());
    return Json.write(m);
  }
}
