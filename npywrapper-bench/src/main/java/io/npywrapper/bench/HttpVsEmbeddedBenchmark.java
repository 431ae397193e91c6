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
import java.util.Set;

/**
 * The same k-nearest queries (batch size 1, or {@code --batch}) through the embedded API and over
 * HTTP against a server running in this process over the same open database, in alternating passes
 * so that both see the same machine load; reports queries per second, p50/p99 latency and process
 * CPU per query of each way (medians over the rounds) and the HTTP overhead. Runs on a cached
 * clustered store ({@link ClusteredStore}): with the graph index (collection {@code ann}) and exact
 * ({@code flat}). Not thread-safe.
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
        --ways embedded,http,http-raw,http-raw-npy,healthz-raw  how queries are sent (default
                               all five): the embedded API, the JDK HttpClient, a bare
                               blocking-socket HTTP/1.1 client with a JSON body, the same with a
                               binary .npy body; healthz-raw: GET /healthz on that socket client
                               (one HTTP exchange without JSON or search: the floor)
        --seconds S            seconds per ANN pass (default 5; exact passes run 3 x longer)
        --rounds R             alternating embedded/HTTP rounds, medians reported (default 5)
        --warmup S             seconds each way runs unmeasured before each client count's
                               rounds (default 10; the JIT compiles the request path on the
                               server's cores meanwhile, and 2 s left round 1 of 3 up to 2x slow)
        --batch N              query vectors per call (default 1): the embedded way passes
                               N vectors to nearest(), the bare HTTP ways send a "vectors"
                               array or an (N, dim) .npy; q/s and CPU count vectors, latency
                               is per call (embedded, http-raw, http-raw-npy only)
        --server-cpus LIST     bind the server, the embedded way's threads, JIT and GC to
                               these CPUs (e.g. 1) and report their busy time per query
        --client-cpus LIST     bind the HTTP client threads to these CPUs (e.g. 0): as if the
                               clients ran on another machine (both or neither)
        --client-poll          the bare HTTP clients poll their socket for the answer
                               instead of sleeping in read, so the server's core does not
                               pay for waking them (as for clients on another machine)
        --platform-threads N   server connections on platform threads, virtual beyond
                               (default 256, as npyw serve; 0: virtual threads only)
        --busy-poll-micros N   how long a server connection polls for the next request
                               before sleeping (default 50, as npyw serve; 0: off)
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
  private List<Way> ways = List.of(Way.values());
  private double seconds = 5;
  private int rounds = 5;
  private double warmupSeconds = 10;
  private boolean prepareOnly;
  private boolean clientPoll;
  private int batch = 1;
  private CpuSet serverCpus;
  private CpuSet clientCpus;
  private ServerConfig serverConfig = ServerConfig.defaults().withPort(0);
  private final PrintStream log;

  HttpVsEmbeddedBenchmark(String[] args, PrintStream log) {
    this.log = log;
    BenchArgs.forEach(
        args,
        Set.of("--prepare-only", "--client-poll"),
        (name, v) -> {
          switch (name) {
            case "--prepare-only" -> prepareOnly = true;
            case "--client-poll" -> clientPoll = true;
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
            case "--ways" -> ways = Arrays.stream(v.split(",")).map(Way::parse).toList();
            case "--seconds" -> seconds = Double.parseDouble(v);
            case "--rounds" -> rounds = Integer.parseInt(v);
            case "--warmup" -> warmupSeconds = Double.parseDouble(v);
            case "--batch" -> batch = Integer.parseInt(v);
            case "--server-cpus" -> serverCpus = CpuSet.parse(v);
            case "--client-cpus" -> clientCpus = CpuSet.parse(v);
            case "--platform-threads" ->
                serverConfig = serverConfig.withPlatformThreads(Integer.parseInt(v));
            case "--busy-poll-micros" ->
                serverConfig = serverConfig.withBusyPollMicros(Integer.parseInt(v));
            default -> throw new IllegalArgumentException("unknown option " + name);
          }
        });
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
    if (!(warmupSeconds >= 0)) {
      throw new IllegalArgumentException(
          "--warmup must be 0 or more seconds, got " + warmupSeconds);
    }
    if (batch < 1 || batch > 1000) {
      throw new IllegalArgumentException("--batch takes 1 to 1000 vectors per call, got " + batch);
    }
    if (batch > 1 && (ways.contains(Way.HTTP) || ways.contains(Way.FLOOR))) {
      throw new IllegalArgumentException(
          "--batch above 1 works with the ways embedded, http-raw and http-raw-npy");
    }
    if (ways.contains(Way.RAW) || ways.contains(Way.RAW_NPY)) {
      RawHttpSearcher.Requests.checkSize(queryCount, batch, dim);
    }
    if ((serverCpus == null) != (clientCpus == null)) {
      throw new IllegalArgumentException("--server-cpus and --client-cpus go together");
    }
    for (String mode : modes) {
      if (!mode.equals(ClusteredStore.ANN) && !mode.equals(ClusteredStore.FLAT)) {
        throw new IllegalArgumentException("--modes takes ann and flat, got " + mode);
      }
    }
  }

  /** How a query reaches the engine. */
  enum Way {
    EMBEDDED("embedded"),
    HTTP("http"),
    RAW("http-raw"),
    RAW_NPY("http-raw-npy"),
    FLOOR("healthz-raw");

    final String label;

    Way(String label) {
      this.label = label;
    }

    static Way parse(String s) {
      for (Way w : values()) {
        if (w.label.equals(s)) {
          return w;
        }
      }
      throw new IllegalArgumentException(
          "--ways takes embedded, http, http-raw, http-raw-npy and healthz-raw, got " + s);
    }
  }

  /**
   * Medians over the rounds of one way, per query vector ({@code --batch} vectors per call; the
   * latencies are per call); {@code serverCpuMicros}: busy time of the server's CPUs per query
   * vector (NaN unless {@code --server-cpus}).
   */
  record Figures(
      double qps, double p50Ms, double p99Ms, double cpuMicros, double serverCpuMicros) {}

  /**
   * One line of the report: one collection, one client thread count, each way's medians ({@code
   * ways}) and its passes in round order ({@code rounds}).
   */
  record Line(
      String mode,
      int threads,
      java.util.Map<Way, Figures> ways,
      java.util.Map<Way, List<ClientPass.Result>> rounds) {
    /** Time per query of {@code way} over the embedded time per query, minus one (NaN: none). */
    double overhead(Way way) {
      return paired(way, (e, w) -> e.qps() / w.qps());
    }

    /** CPU per query of {@code way} over the embedded CPU per query, minus one (NaN: none). */
    double cpuOverhead(Way way) {
      return paired(way, (e, w) -> w.cpuMicros() / e.cpuMicros());
    }

    /**
     * Busy time of the server's CPUs per query of {@code way} over the embedded way's, minus one.
     */
    double serverCpuOverhead(Way way) {
      return paired(way, (e, w) -> w.measuredCpuMicros() / e.measuredCpuMicros());
    }

    /**
     * The median over the rounds of {@code ratio(embedded pass, way's pass)} minus one. Each round
     * runs every way once, back to back, so comparing within a round cancels what the machine does
     * between rounds (its speed here drifts by 10% over minutes, more than the differences being
     * compared).
     */
    private double paired(
        Way way,
        java.util.function.ToDoubleBiFunction<ClientPass.Result, ClientPass.Result> ratio) {
      List<ClientPass.Result> e = rounds.get(Way.EMBEDDED);
      if (e == null) {
        return Double.NaN;
      }
      List<ClientPass.Result> w = rounds.get(way);
      double[] each = new double[w.size()];
      for (int r = 0; r < each.length; r++) {
        each[r] = ratio.applyAsDouble(e.get(r), w.get(r)) - 1;
      }
      return Samples.of(each).median();
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
        NpywServer server = NpywServer.start(db, serverConfig)) {
      Duration ttl = Duration.ofHours(12);
      String token = LoadKeys.reader(server.uri(), LoadKeys.admin(db, ttl), ttl);
      for (String mode : modes) {
        Collection c = db.collection(mode);
        double passSeconds = mode.equals(ClusteredStore.FLAT) ? seconds * 3 : seconds;
        for (int threads : threadCounts) {
          lines.add(measure(c, server, token, queries, mode, threads, passSeconds));
        }
      }
    }
    print(out, lines, "a reader's key on every request");
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
              float[][] vs = new float[batch][];
              for (int i = 0; i < batch; i++) {
                vs[i] = queries[(q + i) % queries.length];
              }
              QueryResult r =
                  (batch == 1 ? c.query().nearest(vs[0]) : c.query().nearest(vs))
                      .limit(k)
                      .withDistances()
                      .execute();
              for (List<io.npywrapper.query.Hit> hits : r.all()) {
                if (hits.size() != k) {
                  throw new IllegalStateException(
                      "embedded search returned " + hits.size() + " hits, expected " + k);
                }
              }
            };
    java.util.Map<Way, ClientPass.Work> work = new java.util.EnumMap<>(Way.class);
    for (Way w : ways) {
      ClientPass.Work way =
          switch (w) {
            case EMBEDDED -> embedded;
            case HTTP -> () -> new HttpSearcher(server.uri(), c.name(), token, k, queries);
            case RAW, RAW_NPY, FLOOR -> {
              // encoded once per way, before any pass, and shared by its client threads
              RawHttpSearcher.Requests rs =
                  w == Way.FLOOR
                      ? RawHttpSearcher.Requests.healthz(server.uri(), token)
                      : RawHttpSearcher.Requests.search(
                          server.uri(), c.name(), token, k, queries, batch, w == Way.RAW_NPY);
              yield () -> polled(new RawHttpSearcher(server.uri(), rs));
            }
          };
      work.put(w, way);
    }
    log.printf(Locale.ROOT, "%s, %d client thread(s): warm-up%n", mode, threads);
    for (Way w : work.keySet()) {
      if (warmupSeconds > 0) {
        ClientPass.run(work.get(w), threads, warmupSeconds, queries.length, placement(w));
      }
    }
    java.util.Map<Way, List<ClientPass.Result>> results = new java.util.EnumMap<>(Way.class);
    for (int r = 0; r < rounds; r++) {
      // Rotate who goes first, so that no way always follows the same one.
      for (int i = 0; i < ways.size(); i++) {
        Way way = ways.get((r + i) % ways.size());
        ClientPass.Result res =
            ClientPass.run(work.get(way), threads, passSeconds, queries.length, placement(way));
        results.computeIfAbsent(way, x -> new ArrayList<>()).add(res);
        log.printf(
            Locale.ROOT,
            "  round %d %-8s %8.1f q/s  p50 %7.3f ms  p99 %7.3f ms  cpu %7.1f us/q"
                + "  server cpus %7.1f us/q%n",
            r + 1,
            way.label,
            res.qps() * batch,
            res.p50Ms(),
            res.p99Ms(),
            res.cpuMicros() / batch,
            res.measuredCpuMicros() / batch);
      }
    }
    java.util.Map<Way, Figures> figures = new java.util.EnumMap<>(Way.class);
    results.forEach(
        (way, rs) ->
            figures.put(
                way,
                new Figures(
                    median(rs, ClientPass.Result::qps) * batch,
                    median(rs, ClientPass.Result::p50Ms),
                    median(rs, ClientPass.Result::p99Ms),
                    median(rs, ClientPass.Result::cpuMicros) / batch,
                    median(rs, ClientPass.Result::measuredCpuMicros) / batch)));
    return new Line(mode, threads, figures, results);
  }

  /** {@code s}, polling for its answers when {@code --client-poll} was given. */
  private RawHttpSearcher polled(RawHttpSearcher s) {
    return clientPoll ? s.withPolling() : s;
  }

  /**
   * Where a way's threads run under {@code --server-cpus}/{@code --client-cpus}: the embedded way's
   * callers on the server's CPUs (they are the engine's threads), HTTP clients on theirs;
   * everything else in the process (server, JIT, GC) is bound to the server's CPUs before every
   * pass, since the JVM starts threads as it goes.
   */
  private ClientPass.Placement placement(Way way) throws java.io.IOException {
    if (serverCpus == null) {
      return ClientPass.Placement.ANYWHERE;
    }
    serverCpus.bindProcessExcept(List.of("bench-client", "HttpClient"));
    return new ClientPass.Placement(way == Way.EMBEDDED ? serverCpus : clientCpus, serverCpus);
  }

  private static double median(
      List<ClientPass.Result> rs, java.util.function.ToDoubleFunction<ClientPass.Result> f) {
    return Samples.of(rs.stream().mapToDouble(f).toArray()).median();
  }

  private void print(PrintStream out, List<Line> lines, String authLabel) {
    out.println();
    out.printf(
        Locale.ROOT,
        "HTTP vs embedded, float32 clustered, dim %d, flat %,d rows, ann %,d rows, k=%d, batch size"
            + " %d (q/s and cpu per query vector, latency per call), %d rounds (medians), API key:"
            + " %s%n",
        dim,
        rows,
        annRows,
        k,
        batch,
        rounds,
        authLabel);
    out.println(
        "overhead = embedded q/s over that way's q/s in the same round, minus 1 (median over the"
            + " rounds); cpu = process CPU time per query (clients and server), and its overhead over"
            + " embedded, paired the same way");
    out.printf(
        Locale.ROOT,
        "server connections: the first %d on platform threads, virtual beyond, polling %d us for"
            + " the next request; bare HTTP clients %s%n",
        serverConfig.platformThreads(),
        serverConfig.busyPollMicros(),
        clientPoll ? "poll their socket for answers" : "sleep in read until answered");
    if (serverCpus != null) {
      out.printf(
          Locale.ROOT,
          "server, JIT, GC and embedded callers on CPUs %s, HTTP clients on CPUs %s; srv = busy"
              + " time of CPUs %s per query (kernel work included), and its overhead%n",
          serverCpus,
          clientCpus,
          serverCpus);
    }
    out.printf(
        Locale.ROOT,
        "%-5s %3s %-11s | %9s %9s | %9s %9s | %9s %9s | %9s %9s%n",
        "mode",
        "cl",
        "way",
        "q/s",
        "overhead",
        "p50 ms",
        "p99 ms",
        "cpu us/q",
        "cpu ovh",
        "srv us/q",
        "srv ovh");
    StringBuilder json = new StringBuilder("RESULT {\"bench\":\"http-vs-embedded\"");
    json.append(
        String.format(
            Locale.ROOT,
            ",\"rows\":%d,\"ann_rows\":%d,\"dim\":%d,\"k\":%d,\"batch\":%d,"
                + "\"platform_threads\":%d,\"busy_poll_micros\":%d,\"client_poll\":%b,\"rounds\":%d,"
                + "\"seconds\":%s,\"warmup_seconds\":%s,\"lines\":[",
            rows,
            annRows,
            dim,
            k,
            batch,
            serverConfig.platformThreads(),
            serverConfig.busyPollMicros(),
            clientPoll,
            rounds,
            seconds,
            warmupSeconds));
    boolean first = true;
    for (Line l : lines) {
      for (Way way : l.ways().keySet()) {
        Figures f = l.ways().get(way);
        boolean emb = way == Way.EMBEDDED || !l.ways().containsKey(Way.EMBEDDED);
        out.printf(
            Locale.ROOT,
            "%-5s %3d %-11s | %9.1f %9s | %9.3f %9.3f | %9.1f %9s | %9.1f %9s%n",
            l.mode(),
            l.threads(),
            way.label,
            f.qps(),
            emb ? "" : String.format(Locale.ROOT, "%.1f%%", l.overhead(way) * 100),
            f.p50Ms(),
            f.p99Ms(),
            f.cpuMicros(),
            emb ? "" : String.format(Locale.ROOT, "%.1f%%", l.cpuOverhead(way) * 100),
            f.serverCpuMicros(),
            emb ? "" : String.format(Locale.ROOT, "%.1f%%", l.serverCpuOverhead(way) * 100));
        json.append(first ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"mode\":\"%s\",\"threads\":%d,\"way\":\"%s\",\"qps\":%.1f,"
                        + "\"overhead\":%.4f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                        + "\"cpu_us_per_query\":%.1f,\"cpu_overhead\":%.4f",
                    l.mode(),
                    l.threads(),
                    way.label,
                    f.qps(),
                    emb ? 0 : l.overhead(way),
                    f.p50Ms(),
                    f.p99Ms(),
                    f.cpuMicros(),
                    emb ? 0 : l.cpuOverhead(way)));
        if (serverCpus != null) {
          json.append(
              String.format(
                  Locale.ROOT,
                  ",\"server_cpus\":\"%s\",\"server_cpu_us_per_query\":%.1f,"
                      + "\"server_cpu_overhead\":%.4f",
                  serverCpus,
                  f.serverCpuMicros(),
                  emb ? 0 : l.serverCpuOverhead(way)));
        }
        json.append('}');
        first = false;
      }
    }
    out.println(json.append("]}"));
  }
}
