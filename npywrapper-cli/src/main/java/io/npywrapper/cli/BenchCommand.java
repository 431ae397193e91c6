package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.query.Query;
import io.npywrapper.query.QueryResult;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code npyw bench ann --train X.npy --queries Q.npy [--k 10] ...}: our own recall@k against
 * queries per second on the given files, through the public search path, one query per call on one
 * thread. The side-by-side comparison with Lucene, hnswlib and FAISS is {@code npyw-bench.jar ann}
 * (docs/BENCHMARKS.md).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks of this build on your own files. The side-by-side comparison with other"
          + " libraries is npyw-bench.jar (docs/BENCHMARKS.md)."
    },
    subcommands = {BenchCommand.Ann.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code npyw bench ann}: see {@link BenchCommand}. */
  @Command(
      name = "ann",
      mixinStandardHelpOptions = true,
      description = {
        "Recall@k against queries per second of nearest-neighbour search on TRAIN.npy, measured"
            + " one query per call on one thread through the public query API.",
        "Imports TRAIN.npy into a scratch store under --work (deleted afterwards; --store is not"
            + " used), builds its graph indexes on one thread, takes the exact k nearest rows of"
            + " each query as ground truth (an exact search on all threads), then times every"
            + " query at each --ef and with --exact.",
        "Prints a table, or with --json one JSON line per point:"
            + " {\"mode\":..,\"recall\":..,\"qps\":..,\"queries\":..}."
      })
  static final class Ann implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--train",
        required = true,
        paramLabel = "TRAIN.npy",
        description = "vectors to search, (rows, dim), any real dtype")
    Path train;

    @Option(
        names = "--queries",
        required = true,
        paramLabel = "Q.npy",
        description = "query vectors, (queries, dim)")
    Path queries;

    @Option(names = "--k", paramLabel = "K", description = "neighbours per query (default 10)")
    int k = 10;

    @Option(names = "--metric", paramLabel = "METRIC", description = "l2 (default), cosine or dot")
    String metric = "l2";

    @Option(
        names = "--ef",
        split = ",",
        paramLabel = "N[,N...]",
        description = "search breadths to measure (default 10,20,40,80,160,320)")
    int[] efs = {10, 20, 40, 80, 160, 320};

    @Option(names = "--m", paramLabel = "M", description = "graph neighbours per node (default 16)")
    int m = IndexOptions.defaults().m();

    @Option(
        names = "--ef-construction",
        paramLabel = "N",
        description = "candidate list while building (default 200)")
    int efConstruction = IndexOptions.defaults().efConstruction();

    @Option(
        names = "--segments",
        paramLabel = "N",
        description = "cut the collection into N segments (default 1)")
    int segments = 1;

    @Option(
        names = "--reps",
        paramLabel = "R",
        description = "timed runs per point, the median is reported (default 3)")
    int reps = 3;

    @Option(
        names = "--work",
        paramLabel = "DIR",
        description = "where the scratch store goes (default: the system's temp directory)")
    Path work;

    @Option(names = "--json", description = "print JSON lines instead of a table")
    boolean json;

    private int queryCount;

    /** One measured point. */
    record Point(String mode, double recall, double qps) {}

    @Override
    public Integer call() throws IOException {
      if (k < 1 || k > Query.MAX_NEAREST_WINDOW) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--k must be between 1 and " + Query.MAX_NEAREST_WINDOW);
      }
      if (segments < 1 || reps < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--segments and --reps must be at least 1");
      }
      for (int ef : efs) {
        if (ef < 1 || ef > Query.MAX_NEAREST_WINDOW) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--ef values must be between 1 and " + Query.MAX_NEAREST_WINDOW);
        }
      }
      IndexOptions index =
          IndexOptions.defaults()
              .withM(m)
              .withEfConstruction(efConstruction)
              .withThreads(1)
              .withBackground(false)
              .withMinRows(1);
      Metric m = Metric.parse(metric);
      long rows;
      int dim;
      try (NpyArray a = NpyArray.open(train)) {
        if (a.rank() != 2 || !a.dtype().isReal()) {
          throw new IllegalArgumentException(
              train + ": expected a real (rows, dim) array, got " + a.header());
        }
        rows = a.rows();
        dim = Math.toIntExact(a.rowLength());
      }
      float[][] qs = SearchCommand.readQueries(queries, dim, "(bench)");
      queryCount = qs.length;
      Path dir =
          work == null
              ? Files.createTempDirectory("npyw-bench-")
              : Files.createTempDirectory(Files.createDirectories(work), "npyw-bench-");
      try (Database db =
          Database.open(
              dir.toString(),
              Database.defaultOptions()
                  .withCompactionMillis(0)
                  .withSegmentRows(Math.max(1, (rows + segments - 1) / segments))
                  .withIndex(index))) {
        long t0 = System.nanoTime();
        Collection c = db.create(CollectionSpec.of("bench", dim, m));
        new Importer(c.engine()).importNpy(train, null, n -> {});
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        c.buildIndexes();
        double indexSeconds = (System.nanoTime() - t0) / 1e9;
        QueryResult truth = c.query().nearest(qs).limit(k).exact().withDistances().execute();
        Query base = c.query().limit(k).withDistances().threads(1);
        List<Point> points = new ArrayList<>();
        for (int ef : efs) {
          points.add(measure(base.ef(ef), qs, truth, "ef=" + ef));
        }
        points.add(measure(base.exact(), qs, truth, "exact"));
        print(rows, dim, c.segments().size(), importSeconds, indexSeconds, points);
      } finally {
        deleteTree(dir);
      }
      return 0;
    }

    private Point measure(Query base, float[][] qs, QueryResult truth, String mode)
        throws IOException {
      for (int i = 0; i < Math.min(qs.length, 100); i++) {
        base.nearest(qs[i]).execute();
      }
      double[] qps = new double[reps];
      QueryResult[] found = new QueryResult[qs.length];
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < qs.length; i++) {
          found[i] = base.nearest(qs[i]).execute();
        }
        qps[r] = qs.length / ((System.nanoTime() - t0) / 1e9);
      }
      Arrays.sort(qps);
      double median = reps % 2 == 1 ? qps[reps / 2] : (qps[reps / 2 - 1] + qps[reps / 2]) / 2;
      return new Point(mode, recall(truth, found), median);
    }

    /**
     * Mean share of each query's true k nearest found among its k results; a result as near as the
     * k-th true neighbour (a tie) counts as found.
     */
    private double recall(QueryResult truth, QueryResult[] found) {
      long[][] want = truth.ids();
      float[][] wantDist = truth.distances();
      double sum = 0;
      for (int q = 0; q < found.length; q++) {
        Set<Long> set = new HashSet<>();
        int n = 0;
        for (long id : want[q]) {
          if (id >= 0) {
            set.add(id);
            n++;
          }
        }
        if (n == 0) {
          sum += 1;
          continue;
        }
        float limit = wantDist[q][n - 1];
        long[] got = found[q].ids()[0];
        float[] gotDist = found[q].distances()[0];
        Set<Long> seen = new HashSet<>();
        int hits = 0;
        for (int i = 0; i < Math.min(n, got.length); i++) {
          if (got[i] >= 0 && seen.add(got[i]) && (set.contains(got[i]) || gotDist[i] <= limit)) {
            hits++;
          }
        }
        sum += (double) hits / n;
      }
      return sum / found.length;
    }

    private void print(
        long rows,
        int dim,
        int segs,
        double importSeconds,
        double indexSeconds,
        List<Point> points) {
      var out = spec.commandLine().getOut();
      if (json) {
        for (Point p : points) {
          out.printf(
              Locale.ROOT,
              "{\"mode\":\"%s\",\"k\":%d,\"recall\":%.4f,\"qps\":%.1f,\"queries\":%d,\"rows\":%d,"
                  + "\"segments\":%d,\"import_s\":%.3f,\"index_s\":%.3f}%n",
              p.mode(),
              k,
              p.recall(),
              p.qps(),
              queryCount,
              rows,
              segs,
              importSeconds,
              indexSeconds);
        }
        return;
      }
      out.printf(
          Locale.ROOT,
          "%,d x %d vectors in %d segment(s), imported in %.2f s, indexed (M %d, efConstruction"
              + " %d, one thread) in %.2f s; %d queries, k=%d, one query per call on one thread,"
              + " median of %d runs%n",
          rows,
          dim,
          segs,
          importSeconds,
          m,
          efConstruction,
          indexSeconds,
          queryCount,
          k,
          reps);
      out.printf(Locale.ROOT, "%-10s %10s %12s%n", "mode", "recall@" + k, "QPS");
      for (Point p : points) {
        out.printf(Locale.ROOT, "%-10s %10.4f %12.1f%n", p.mode(), p.recall(), p.qps());
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
