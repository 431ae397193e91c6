package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.query.QueryResult;
import io.npywrapper.server.NpywServer;
import io.npywrapper.server.ServerConfig;
import io.npywrapper.server.load.LoadKeys;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The same k-nearest queries (batch size 1) through the embedded API and over HTTP against a server
 * running in this process over the same open database, in alternating passes so that both see the
 * same machine load; reports queries per second and p50/p99 latency of each way (medians over the
 * rounds) and the HTTP overhead. Runs on a cached clustered store ({@link ClusteredStore}): with
 * the graph index (collection {@code ann}) and exact ({@code flat}). Not thread-safe.
 *
 * <p>{@code java ... -jar npyw-bench.jar http-vs-embedded --rows 1000000 --threads 1,4}
 */
final class HttpVsEmbeddedBenchmark {
  static final String USAGE =
      """
      http-vs-embedded options:
        --dir DIR              cache of the generated store (default /work/bench-http)
        --rows N               rows (default 1000000)
        --ann-rows N           rows of the indexed collection (default: --rows)
        --dim D                dimension (default 128)
        --clusters C           Gaussian clusters of the data (default 1000)
        --m M                  graph neighbours (default 16)
        --ef-construction N    graph build candidate list (default 100)
        --build-threads T      threads building the graph (default 2)
        --queries Q            distinct query vectors, cycled (default 2000)
        --k K                  neighbours per query (default 10)
        --threads 1,4          client thread counts to measure (default 1,4)
        --modes ann,flat       ann: graph index; flat: exact scan (default ann,flat)
        --seconds S            seconds per ANN pass (default 5; exact passes run 3 x longer)
        --rounds R             alternating embedded/HTTP rounds, medians reported (default 5)
        --no-auth              send no API key (default: a reader key, checked per request)
        --prepare-only         build the cached store and stop
      """;

  private Path dir = Path.of("/work/bench-http");
  private long rows = 1_000_000;
  private long annRows = -1;
  private int dim = 128;
  private int clusters = 1000;
  private int m = 16;
  private int efConstruction = 100;
  private int buildThreads = 2;
  private int queryCount = 2000;
  private int k = 10;
  private int[] threadCounts = {1, 4};
  private List<String> modes = List.of(ClusteredStore.ANN, ClusteredStore.FLAT);
  private double seconds = 5;
  private int rounds = 5;
  private boolean auth = true;
  private boolean prepareOnly;
  private final PrintStream log;

  HttpVsEmbeddedBenchmark(String[] args, PrintStream log) {
    this.log = log;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--prepare-only")) {
        prepareOnly = true;
        continue;
      }
      if (a.equals("--no-auth")) {
        auth = false;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--dir" -> dir = Path.of(v);
        case "--rows" -> rows = Long.parseLong(v);
        case "--ann-rows" -> annRows = Long.parseLong(v);
        case "--dim" -> dim = Integer.parseInt(v);
        case "--clusters" -> clusters = Integer.parseInt(v);
        case "--m" -> m = Integer.parseInt(v);
        case "--ef-construction" -> efConstruction = Integer.parseInt(v);
        case "--build-threads" -> buildThreads = Integer.parseInt(v);
        case "--queries" -> queryCount = Integer.parseInt(v);
        case "--k" -> k = Integer.parseInt(v);
        case "--threads" ->
            threadCounts = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--modes" -> modes = List.of(v.split(","));
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (annRows < 0) {
      annRows = rows;
    }
    if (rows < k
        || annRows < k
        || dim < 1
        || clusters < 1
        || queryCount < 1
        || k < 1
        || rounds < 1) {
      throw new IllegalArgumentException(
          "--rows (at least --k), --dim, --clusters, --queries, --k and --rounds must be positive");
    }
    if (!(seconds > 0) || Arrays.stream(threadCounts).anyMatch(t -> t < 1)) {
      throw new IllegalArgumentException("--seconds and --threads must be positive");
    }
    for (String mode : modes) {
      if (!mode.equals(ClusteredStore.ANN) && !mode.equals(ClusteredStore.FLAT)) {
        throw new IllegalArgumentException("--modes takes ann and flat, got " + mode);
      }
    }
  }

  /** One line of the report: one collection, one client thread count. */
  record Line(
      String mode,
      int threads,
      double embeddedQps,
      double httpQps,
      double embeddedP50Ms,
      double httpP50Ms,
      double embeddedP99Ms,
      double httpP99Ms) {
    /** HTTP time per query over embedded time per query, minus one. */
    double overhead() {
      return embeddedQps / httpQps - 1;
    }
  }

  void run(PrintStream out) throws Exception {
    ClusteredStore store =
        new ClusteredStore(dir, rows, annRows, dim, clusters, m, efConstruction, buildThreads, log);
    store.prepare();
    if (prepareOnly) {
      return;
    }
    float[][] queries = store.queries(queryCount);
    List<Line> lines = new ArrayList<>();
    try (Database db = Database.open(store.storeDir().toString(), ClusteredStore.options());
        NpywServer server = NpywServer.start(db, ServerConfig.defaults().withPort(0))) {
      String token = auth ? LoadKeys.reader(db, Duration.ofHours(12)) : null;
      for (String mode : modes) {
        Collection c = db.collection(mode);
        double passSeconds = mode.equals(ClusteredStore.FLAT) ? seconds * 3 : seconds;
        for (int threads : threadCounts) {
          lines.add(measure(c, server, token, queries, mode, threads, passSeconds));
        }
      }
    }
    print(out, lines, token(auth));
  }

  private static String token(boolean auth) {
    return auth ? "reader key" : "none";
  }

  private Line measure(
      Collection c,
      NpywServer server,
      String token,
      float[][] queries,
      String mode,
      int threads,
      double passSeconds)
      throws Exception {
    ClientPass.Work embedded =
        () ->
            q -> {
              QueryResult r = c.query().nearest(queries[q]).limit(k).withDistances().execute();
              if (r.hits(0).size() != k) {
                throw new IllegalStateException(
                    "embedded search returned " + r.hits(0).size() + " hits, expected " + k);
              }
            };
    ClientPass.Work http = () -> new HttpSearcher(server.uri(), c.name(), token, k, queries);
    log.printf(Locale.ROOT, "%s, %d client thread(s): warm-up%n", mode, threads);
    ClientPass.run(embedded, threads, passSeconds / 2, queries.length);
    ClientPass.run(http, threads, passSeconds / 2, queries.length);
    List<ClientPass.Result> emb = new ArrayList<>();
    List<ClientPass.Result> net = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      boolean embeddedFirst = r % 2 == 0;
      for (int half = 0; half < 2; half++) {
        boolean doEmbedded = (half == 0) == embeddedFirst;
        ClientPass.Result res =
            ClientPass.run(doEmbedded ? embedded : http, threads, passSeconds, queries.length);
        (doEmbedded ? emb : net).add(res);
        log.printf(
            Locale.ROOT,
            "  round %d %-8s %8.1f q/s  p50 %7.3f ms  p99 %7.3f ms%n",
            r + 1,
            doEmbedded ? "embedded" : "http",
            res.qps(),
            res.p50Ms(),
            res.p99Ms());
      }
    }
    return new Line(
        mode,
        threads,
        median(emb, ClientPass.Result::qps),
        median(net, ClientPass.Result::qps),
        median(emb, ClientPass.Result::p50Ms),
        median(net, ClientPass.Result::p50Ms),
        median(emb, ClientPass.Result::p99Ms),
        median(net, ClientPass.Result::p99Ms));
  }

  private static double median(
      List<ClientPass.Result> rs, java.util.function.ToDoubleFunction<ClientPass.Result> f) {
    return Samples.of(rs.stream().mapToDouble(f).toArray()).median();
  }

  private void print(PrintStream out, List<Line> lines, String authLabel) {
    out.println();
    out.printf(
        Locale.ROOT,
        "HTTP vs embedded, float32 clustered, dim %d, flat %,d rows, ann %,d rows, k=%d, batch size 1,"
            + " %d rounds (medians), API key: %s%n",
        dim,
        rows,
        annRows,
        k,
        rounds,
        authLabel);
    out.printf(
        Locale.ROOT,
        "%-5s %7s | %10s %10s %9s | %9s %9s | %9s %9s%n",
        "mode",
        "clients",
        "emb q/s",
        "http q/s",
        "overhead",
        "emb p50",
        "http p50",
        "emb p99",
        "http p99");
    for (Line l : lines) {
      out.printf(
          Locale.ROOT,
          "%-5s %7d | %10.1f %10.1f %8.1f%% | %7.3fms %7.3fms | %7.3fms %7.3fms%n",
          l.mode(),
          l.threads(),
          l.embeddedQps(),
          l.httpQps(),
          l.overhead() * 100,
          l.embeddedP50Ms(),
          l.httpP50Ms(),
          l.embeddedP99Ms(),
          l.httpP99Ms());
    }
    StringBuilder json = new StringBuilder("RESULT {\"bench\":\"http-vs-embedded\"");
    json.append(
        String.format(
            Locale.ROOT,
            ",\"rows\":%d,\"ann_rows\":%d,\"dim\":%d,\"k\":%d",
            rows,
            annRows,
            dim,
            k));
    json.append(",\"lines\":[");
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"mode\":\"%s\",\"threads\":%d,\"embedded_qps\":%.1f,\"http_qps\":%.1f,"
                      + "\"overhead\":%.4f,\"embedded_p50_ms\":%.3f,\"http_p50_ms\":%.3f,"
                      + "\"embedded_p99_ms\":%.3f,\"http_p99_ms\":%.3f}",
                  l.mode(),
                  l.threads(),
                  l.embeddedQps(),
                  l.httpQps(),
                  l.overhead(),
                  l.embeddedP50Ms(),
                  l.httpP50Ms(),
                  l.embeddedP99Ms(),
                  l.httpP99Ms()));
    }
    out.println(json.append("]}"));
  }
}
