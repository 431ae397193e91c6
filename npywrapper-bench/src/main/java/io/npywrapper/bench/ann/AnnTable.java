package io.npywrapper.bench.ann;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary table of an ANN run: per data set and curve (library, variant, threads), the build
 * time and index size, and the best QPS reached at recall@k of at least 0.90, 0.95, 0.97 and 0.99
 * (with the parameter that reached it). Stateless and thread-safe.
 */
final class AnnTable {
  static final double[] TARGETS = {0.90, 0.95, 0.97, 0.99};

  private AnnTable() {}

  /** The fastest point of {@code curve} with recall at least {@code target}, or null. */
  static AnnPoint best(List<AnnPoint> curve, double target) {
    AnnPoint best = null;
    for (AnnPoint p : curve) {
      if (p.recall() >= target && (best == null || p.qps() > best.qps())) {
        best = p;
      }
    }
    return best;
  }

  static void print(
      PrintStream out, List<AnnPoint> points, List<Map<String, Object>> floors, int k) {
    Map<String, List<AnnPoint>> curves = new LinkedHashMap<>();
    for (AnnPoint p : points) {
      String key = p.dataset() + "|" + p.library() + "|" + p.variant() + "|" + p.threads();
      curves.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
    }
    List<String[]> rows = new ArrayList<>();
    List<String> head =
        new ArrayList<>(List.of("data set", "library", "variant", "thr", "build s", "index MB"));
    for (double t : TARGETS) {
      head.add(String.format(Locale.ROOT, "QPS@R%d>=%.2f", k, t));
    }
    rows.add(head.toArray(String[]::new));
    for (List<AnnPoint> c : curves.values()) {
      AnnPoint f = c.get(0);
      List<String> r = new ArrayList<>();
      r.add(f.dataset());
      r.add(f.library());
      r.add(f.variant());
      r.add(Integer.toString(f.threads()));
      r.add(f.build() == null ? "" : String.format(Locale.ROOT, "%.1f", f.build().seconds()));
      r.add(
          f.build() == null || f.build().indexBytes() < 0
              ? ""
              : String.format(Locale.ROOT, "%.1f", f.build().indexBytes() / 1e6));
      for (double t : TARGETS) {
        AnnPoint b = best(c, t);
        r.add(
            b == null
                ? "-"
                : String.format(
                    Locale.ROOT,
                    "%,.0f (%s%s, %.3f)",
                    b.qps(),
                    b.param(),
                    b.param().equals("exact") ? "" : "=" + b.value(),
                    b.recall()));
      }
      rows.add(r.toArray(String[]::new));
    }
    out.println();
    printTable(out, rows);
    for (Map<String, Object> f : floors) {
      out.printf(
          Locale.ROOT,
          "exact-scan floor, %s: one-thread exact query %s QPS, SIMD sum of the same mapped"
              + " vectors %s QPS, scan/floor time ratio %s (goal <= 1.10)%n",
          f.get("dataset"),
          f.get("exact_qps"),
          f.get("floor_qps"),
          f.get("scan_over_floor"));
    }
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
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        String f = c < 3 ? "%-" + width[c] + "s" : "%" + width[c] + "s";
        sb.append(String.format(f, rows.get(i)[c])).append("  ");
      }
      out.println(sb.toString().stripTrailing());
      if (i == 0) {
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < cols; c++) {
          rule.append("-".repeat(width[c])).append("  ");
        }
        out.println(rule.toString().stripTrailing());
      }
    }
  }
}
