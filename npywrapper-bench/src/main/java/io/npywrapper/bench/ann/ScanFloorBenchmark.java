package io.npywrapper.bench.ann;

import io.npywrapper.bench.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code npyw-bench.jar scan-floor}: only the exact-scan floor of {@code ann} ({@link
 * BandwidthFloor}), without graph indexes or peers, repeated {@code --reps} times per data set on a
 * one-segment store, so that a change of the scan can be measured in a minute. Takes the {@code
 * ann} options ({@code --data}, {@code --datasets}, {@code --queries}, {@code --k}, {@code
 * --reps}). Not thread-safe: one run at a time.
 */
public final class ScanFloorBenchmark {
  public static final String USAGE =
      """
      scan-floor options (the exact-scan floor of `ann` alone, repeated; no graph, no peers):
        --data DIR        data set cache and scratch store (default /tmp/npyw-ann)
        --datasets LIST   fashion-mnist and/or clustered-<rows>x<dim>
        --queries N       query set size, as in ann (default 1000); 200 are timed per repetition
        --reps R          repetitions, each 200 sums and 200 exact queries interleaved (default 3)
      """;

  private final AnnOptions o;
  private final PrintStream log;

  public ScanFloorBenchmark(AnnOptions options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  /** Measures every data set, prints one line per data set and returns the floors measured. */
  public List<Map<String, Object>> run(PrintStream out) throws IOException, InterruptedException {
    Files.createDirectories(o.data());
    AnnDatasets sets = AnnDatasets.of(o, log);
    List<Map<String, Object>> all = new ArrayList<>();
    for (String name : o.datasets()) {
      AnnDataset set = sets.prepare(name);
      try (AnnDataset.Loaded data = set.load();
          OursEngine ours = new OursEngine(o.data().resolve("scan-floor-store"), 1, false)) {
        ours.build(data, false);
        double[] ratios = new double[o.reps()];
        double[] cpu = new double[o.reps()];
        for (int r = 0; r < ratios.length; r++) {
          Map<String, Object> f = BandwidthFloor.measure(ours, data, o.k(), 200, log);
          ratios[r] = ((Number) f.get("scan_over_floor")).doubleValue();
          cpu[r] = ((Number) f.get("scan_over_floor_cpu")).doubleValue();
          all.add(f);
          out.println("RESULT " + Json.write(f));
        }
        out.printf(
            Locale.ROOT,
            "scan-floor %s: scan/floor wall %s, median %.3f; CPU time %s, median %.3f%n",
            name,
            Arrays.toString(ratios),
            median(ratios),
            Arrays.toString(cpu),
            median(cpu));
      }
    }
    return all;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
