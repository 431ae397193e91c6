package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * How long one graph search takes, embedded, when its thread does something else between searches:
 * nothing (back to back), sleeps (its core may go idle, as a server's core does between the
 * requests of one client) or polls (the core stays awake, as with the server's {@code BusyPoll}).
 * Only the searches are timed, so a difference is the search itself running slower. Run it pinned
 * to one core ({@code taskset -c 1 java ...}) for figures comparable to {@code http-vs-embedded
 * --server-cpus 1}. Not thread-safe (one run).
 *
 * <p>{@code java ... -jar npyw-bench.jar idle-gap --gaps none,sleep50,poll50,sleep200}
 */
final class IdleGapBenchmark {
  static final String USAGE =
      """
      idle-gap options:
        --dir DIR              cache of the generated store, shared with http-vs-embedded
                               (default /work/bench-http)
        --rows N               rows of the indexed collection (default 1000000)
        --dim D                dimension (default 128)
        --queries Q            distinct query vectors, cycled (default 2000)
        --k K                  neighbours per query (default 10)
        --gaps LIST            what the thread does between two searches (default
                               none,sleep50,poll50,sleep200): none; sleepN: sleeps N µs
                               (parkNanos); pollN: yields the processor for N µs without
                               sleeping (Thread.yield in a loop)
        --searches N           searches per gap and round (default 4000)
        --rounds R             rounds, each running every gap once in rotated order; medians
                               over rounds reported (default 5; one more round first, unreported,
                               warms up)
      """;

  /** What a thread does between two searches. */
  record Gap(String name, boolean sleeps, long nanos) {
    /** Back to back: the gap the others are compared with. */
    static final Gap NONE = new Gap("none", false, 0);

    static Gap parse(String s) {
      if (s.equals(NONE.name())) {
        return NONE;
      }
      for (String kind : new String[] {"sleep", "poll"}) {
        if (s.startsWith(kind)) {
          long micros;
          try {
            micros = Long.parseLong(s.substring(kind.length()));
          } catch (NumberFormatException e) {
            micros = -1;
          }
          if (micros < 1 || micros > 1_000_000) {
            throw new IllegalArgumentException(
                "gap '" + s + "': expected " + kind + "N with N from 1 to 1000000 µs");
          }
          return new Gap(s, kind.equals("sleep"), micros * 1_000);
        }
      }
      throw new IllegalArgumentException(
          "unknown gap '" + s + "': expected none, sleepN or pollN (N in µs)");
    }

    void run() {
      if (nanos == 0) {
        return;
      }
      if (sleeps) {
        LockSupport.parkNanos(nanos);
        return;
      }
      long end = System.nanoTime() + nanos;
      while (System.nanoTime() - end < 0) {
        Thread.yield();
      }
    }
  }

  private Path dir = Path.of("/work/bench-http");
  private long rows = 1_000_000;
  private int dim = 128;
  private int queryCount = 2000;
  private int k = 10;
  private List<Gap> gaps =
      List.of(Gap.NONE, Gap.parse("sleep50"), Gap.parse("poll50"), Gap.parse("sleep200"));
  private int searches = 4000;
  private int rounds = 5;
  private final PrintStream log;

  IdleGapBenchmark(String[] args, PrintStream log) {
    this.log = log;
    BenchArgs.forEach(
        args,
        Set.of(),
        (name, v) -> {
          switch (name) {
            case "--dir" -> dir = Path.of(v);
            case "--rows" -> rows = Long.parseLong(v);
            case "--dim" -> dim = Integer.parseInt(v);
            case "--queries" -> queryCount = Integer.parseInt(v);
            case "--k" -> k = Integer.parseInt(v);
            case "--gaps" -> gaps = Arrays.stream(v.split(",")).map(Gap::parse).toList();
            case "--searches" -> searches = Integer.parseInt(v);
            case "--rounds" -> rounds = Integer.parseInt(v);
            default -> throw new IllegalArgumentException("unknown option " + name);
          }
        });
    if (rows < k || dim < 1 || queryCount < 1 || k < 1 || searches < 1 || rounds < 1) {
      throw new IllegalArgumentException(
          "--rows (at least --k), --dim, --queries, --k, --searches and --rounds must be positive");
    }
    if (!gaps.contains(Gap.NONE)) {
      throw new IllegalArgumentException("--gaps must include none: the others are compared to it");
    }
  }

  void run(PrintStream out) throws Exception {
    // the same store as http-vs-embedded's with its defaults (1000 clusters, m 16, ef 100)
    ClusteredStore store = new ClusteredStore(dir, rows, rows, dim, 1000, 16, 100, 2, log);
    store.prepare();
    float[][] queries = store.queries(queryCount);
    Map<Gap, List<Double>> medians = new LinkedHashMap<>();
    Map<Gap, List<Double>> means = new LinkedHashMap<>();
    gaps.forEach(g -> medians.put(g, new ArrayList<>()));
    gaps.forEach(g -> means.put(g, new ArrayList<>()));
    try (Database db = Database.open(store.storeDir().toString(), ClusteredStore.options())) {
      Collection c = db.collection(ClusteredStore.ANN);
      int next = 0;
      long[] times = new long[searches];
      for (int r = 0; r <= rounds; r++) {
        for (int i = 0; i < gaps.size(); i++) {
          Gap gap = gaps.get((r + i) % gaps.size());
          for (int s = 0; s < searches; s++) {
            float[] q = queries[next++ % queries.length];
            long t0 = System.nanoTime();
            int hits = c.query().nearest(q).limit(k).withDistances().execute().hits().size();
            times[s] = System.nanoTime() - t0;
            if (hits != k) {
              throw new IllegalStateException("search returned " + hits + " hits, expected " + k);
            }
            gap.run();
          }
          Samples t = Samples.of(Arrays.stream(times).asDoubleStream().toArray());
          double mean = Arrays.stream(times).average().orElseThrow();
          log.printf(
              Locale.ROOT,
              "  round %d %-9s search p50 %7.1f µs  mean %7.1f µs%s%n",
              r,
              gap.name(),
              t.median() / 1e3,
              mean / 1e3,
              r == 0 ? " (warm-up)" : "");
          if (r > 0) {
            medians.get(gap).add(t.median());
            means.get(gap).add(mean);
          }
        }
      }
    }
    print(out, medians, means);
  }

  private void print(
      PrintStream out, Map<Gap, List<Double>> medians, Map<Gap, List<Double>> means) {
    double base = Samples.of(medians.get(Gap.NONE)).median();
    double baseMean = Samples.of(means.get(Gap.NONE)).median();
    out.printf(
        Locale.ROOT,
        "one graph search (embedded, k=%d, %,d x %d), timed alone, by what its thread does between"
            + " searches; medians over %d rounds of %,d searches%n",
        k,
        rows,
        dim,
        rounds,
        searches);
    out.printf(
        Locale.ROOT,
        "%-9s | %12s %8s | %12s %8s%n",
        "gap",
        "p50 µs",
        "vs none",
        "mean µs",
        "vs none");
    StringBuilder json = new StringBuilder("RESULT {\"bench\":\"idle-gap\"");
    json.append(
        String.format(
            Locale.ROOT,
            ",\"rows\":%d,\"dim\":%d,\"k\":%d,\"searches\":%d,\"rounds\":%d,\"gaps\":[",
            rows,
            dim,
            k,
            searches,
            rounds));
    boolean first = true;
    for (Gap g : medians.keySet()) {
      double p50 = Samples.of(medians.get(g)).median();
      double mean = Samples.of(means.get(g)).median();
      out.printf(
          Locale.ROOT,
          "%-9s | %12.1f %+7.1f%% | %12.1f %+7.1f%%%n",
          g.name(),
          p50 / 1e3,
          100 * (p50 / base - 1),
          mean / 1e3,
          100 * (mean / baseMean - 1));
      json.append(first ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"gap\":\"%s\",\"p50_us\":%.1f,\"mean_us\":%.1f,\"p50_vs_none\":%.4f,"
                      + "\"mean_vs_none\":%.4f}",
                  g.name(),
                  p50 / 1e3,
                  mean / 1e3,
                  p50 / base - 1,
                  mean / baseMean - 1));
      first = false;
    }
    out.println(json.append("]}"));
  }
}
