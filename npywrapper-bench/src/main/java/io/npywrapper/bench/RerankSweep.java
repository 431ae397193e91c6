package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.IndexQuantization;
import io.npywrapper.collection.Rows;
import io.npywrapper.query.Hit;
import io.npywrapper.query.Query;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Recall@10 and latency against the int8 re-rank depth, through the public query path: one
 * collection of clustered rows with an int8 graph index (m 16, efConstruction 100), queried one at
 * a time on one thread with {@code Query.ef(ef).rerank(n)} for each depth, the depths alternating
 * per query; prints recall against the exact scan and the median microseconds per query. Usage:
 * {@code rerank [rows] [dim] [queries] [ef]} (default 50,000 x 128, 500, 40). Not thread-safe; a
 * command-line tool.
 */
final class RerankSweep {
  private static final int[] DEPTHS = {10, 20, 40, 100};

  private RerankSweep() {}

  static void run(String[] args, PrintStream out) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int nq = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int ef = args.length > 3 ? Integer.parseInt(args[3]) : 40;
    Random rnd = new Random(11);
    float[][] v = GraphOverhead.clustered(rnd, n, dim);
    float[][] queries = GraphOverhead.queriesNear(rnd, v, nq);
    Path dir = Files.createTempDirectory("npyw-rerank");
    IndexOptions io =
        new IndexOptions(16, 100, 1_000, 1, false).withQuantization(IndexQuantization.INT8);
    try (Database db =
            Database.open(
                dir.toString(), Database.defaultOptions().withCompactionMillis(0).withIndex(io));
        Collection c = db.create(CollectionSpec.of("bench", dim, Metric.L2))) {
      c.add(Rows.of(v));
      c.flush();
      out.printf(
          Locale.ROOT, "%d x %d, int8 index built in %.1f s%n", n, dim, c.buildIndexes().seconds());
      List<Set<Object>> truth = new ArrayList<>();
      for (float[] q : queries) {
        truth.add(ids(c.query().nearest(q).limit(10).exact().threads(1).execute().hits()));
      }
      Query base = c.query().limit(10).ef(ef).threads(1);
      for (float[] q : Arrays.copyOf(queries, Math.min(nq, 50))) {
        base.nearest(q).execute(); // warm-up: JIT and the index's pages
      }
      long[][] ns = new long[DEPTHS.length][nq];
      double[] hits = new double[DEPTHS.length];
      for (int i = 0; i < nq; i++) {
        for (int k = 0; k < DEPTHS.length; k++) {
          int d = (k + i) % DEPTHS.length;
          long t0 = System.nanoTime();
          List<Hit> got = base.rerank(DEPTHS[d]).nearest(queries[i]).execute().hits();
          ns[d][i] = System.nanoTime() - t0;
          for (Hit h : got) {
            hits[d] += truth.get(i).contains(h.id()) ? 1 : 0;
          }
        }
      }
      for (int d = 0; d < DEPTHS.length; d++) {
        long[] s = ns[d].clone();
        Arrays.sort(s);
        out.printf(
            Locale.ROOT,
            "ef %d rerank %4d: recall@10 %.3f, median %.1f us/query%n",
            ef,
            DEPTHS[d],
            hits[d] / (10.0 * nq),
            s[nq / 2] / 1e3);
      }
    } finally {
      try (var s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Set<Object> ids(List<Hit> hits) {
    Set<Object> s = new HashSet<>();
    hits.forEach(h -> s.add(h.id()));
    return s;
  }
}
