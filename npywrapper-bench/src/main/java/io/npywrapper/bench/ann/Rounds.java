package io.npywrapper.bench.ann;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures contenders in interleaved rounds: each round runs one pass of every contender at every
 * value, so that on a shared machine every library sees the same changes of load, and the median of
 * the rounds is reported. Exact contenders (one slow point) run in the first round only. Recall
 * comes from the first round's ids. Not thread-safe.
 *
 * @param data the data set with its queries and ground truth
 * @param k neighbours per query
 * @param reps rounds
 * @param log progress
 */
record Rounds(AnnDataset.Loaded data, int k, int reps, PrintStream log) {

  /** Runs the rounds and returns one point per contender and value. */
  List<AnnPoint> run(List<Contender> contenders) throws IOException, InterruptedException {
    int n = contenders.size();
    double[][][] qps = new double[n][][];
    double[][] recall = new double[n][];
    for (int c = 0; c < n; c++) {
      Contender x = contenders.get(c);
      int runs = x.param().equals("exact") ? 1 : reps;
      qps[c] = new double[x.values().length][runs];
      recall[c] = new double[x.values().length];
      x.warm();
    }
    for (int r = 0; r < reps; r++) {
      log.printf("  round %d of %d%n", r + 1, reps);
      for (int c = 0; c < n; c++) {
        Contender x = contenders.get(c);
        int[] values = x.values();
        if (r >= qps[c][0].length) {
          continue;
        }
        for (int v = 0; v < values.length; v++) {
          Contender.Pass p = x.pass(values[v], r == 0);
          qps[c][v][r] = p.qps();
          if (r == 0) {
            recall[c][v] = data.recall(k, p.ids());
          }
          log.printf(
              Locale.ROOT,
              "    %-8s %-28s threads=%d %s=%-4d recall@%d=%.4f qps=%,.0f%n",
              x.library(),
              x.variant(),
              x.threads(),
              x.param(),
              values[v],
              k,
              recall[c][v],
              p.qps());
        }
      }
    }
    List<AnnPoint> points = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      Contender x = contenders.get(c);
      int[] values = x.values();
      for (int v = 0; v < values.length; v++) {
        points.add(
            new AnnPoint(
                data.set().name(),
                x.library(),
                x.variant(),
                x.threads(),
                x.param(),
                values[v],
                recall[c][v],
                median(qps[c][v]),
                qps[c][v],
                x.build()));
      }
    }
    return points;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
