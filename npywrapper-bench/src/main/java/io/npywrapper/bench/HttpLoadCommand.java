package io.npywrapper.bench;

import io.npywrapper.Database;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.server.NpywServer;
import io.npywrapper.server.ServerConfig;
import io.npywrapper.server.load.LoadData;
import io.npywrapper.server.load.LoadDriver;
import io.npywrapper.server.load.LoadKeys;
import io.npywrapper.server.load.LoadOptions;
import io.npywrapper.server.load.LoadReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The server's load test at full size: a server in this process on an ephemeral loopback port over
 * a collection made by {@link LoadData} (indexed), driven by {@link LoadDriver} with a reader key
 * and a writer key; prints the report and a {@code RESULT} line, and exits 1 when any call failed.
 * The freshly built collection is kept under {@code DIR/pristine} and copied to {@code DIR/run} for
 * each run, so reruns with the same size do not rebuild the index. Not thread-safe.
 *
 * <p>{@code java ... -jar npyw-bench.jar http-load --readers 32 --writers 4 --seconds 60}
 */
final class HttpLoadCommand {
  static final String USAGE =
      """
      http-load options:
        --readers N        query clients (default 32)
        --writers N        writer clients (default 4)
        --seconds S        how long the clients run (default 60)
        --rows N           rows of the collection (default 100000)
        --dim D            dimension (default 128)
        --dir DIR          cache and scratch directory (default /tmp/npyw-http-load)
        --flush-rows N     memtable rows per flush, so writers commit versions (default 2000)
        --ef-construction N  graph build candidate list (default 100)
        --seed S           seed of the data and of the clients (default 1)
      """;

  private int readers = 32;
  private int writers = 4;
  private int seconds = 60;
  private int rows = 100_000;
  private int dim = 128;
  private Path dir = Path.of("/tmp/npyw-http-load");
  private int flushRows = 2000;
  private int efConstruction = 100;
  private long seed = 1;
  private final PrintStream log;

  HttpLoadCommand(String[] args, PrintStream log) {
    this.log = log;
    BenchArgs.forEach(
        args,
        Set.of(),
        (name, v) -> {
          switch (name) {
            case "--readers" -> readers = Integer.parseInt(v);
            case "--writers" -> writers = Integer.parseInt(v);
            case "--seconds" -> seconds = Integer.parseInt(v);
            case "--rows" -> rows = Integer.parseInt(v);
            case "--dim" -> dim = Integer.parseInt(v);
            case "--dir" -> dir = Path.of(v);
            case "--flush-rows" -> flushRows = Integer.parseInt(v);
            case "--ef-construction" -> efConstruction = Integer.parseInt(v);
            case "--seed" -> seed = Long.parseLong(v);
            default -> throw new IllegalArgumentException("unknown option " + name);
          }
        });
    // the client counts are checked the way the run will check them, before any data is built
    LoadOptions.defaults("load", Math.max(1, dim), Math.max(10, rows))
        .withClients(readers, writers);
    if (seconds < 1 || rows < 10 || dim < 1 || flushRows < 1) {
      throw new IllegalArgumentException(
          "--seconds, --dim and --flush-rows must be positive, --rows at least 10");
    }
  }

  private EngineOptions options() {
    return Database.defaultOptions()
        .withFlushRows(flushRows)
        .withCompactionMillis(0)
        .withIndex(
            IndexOptions.defaults()
                .withEfConstruction(efConstruction)
                .withThreads(2)
                .withBackground(false));
  }

  /** Runs the load; 0 when no call failed, 1 otherwise. */
  int run(PrintStream out) throws Exception {
    Path pristine = dir.resolve("pristine");
    Path ready = dir.resolve("pristine.READY");
    String marker =
        String.format(
            Locale.ROOT,
            "rows=%d dim=%d seed=%d efConstruction=%d%n",
            rows,
            dim,
            seed,
            efConstruction);
    if (!Files.exists(ready) || !Files.readString(ready).equals(marker)) {
      Files.deleteIfExists(ready);
      CollectionBenchmark.deleteTree(pristine);
      log.printf(Locale.ROOT, "building %,d x %d collection 'load' with its index...%n", rows, dim);
      long t0 = System.nanoTime();
      try (Database db = Database.open(pristine.toString(), options())) {
        LoadData.create(db, "load", rows, dim, seed, dir.resolve("scratch"));
      }
      log.printf(Locale.ROOT, "built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      Files.writeString(ready, marker, StandardCharsets.UTF_8);
    }
    Path work = dir.resolve("run");
    CollectionBenchmark.deleteTree(work);
    copyTree(pristine, work);
    LoadReport r;
    try (Database db = Database.open(work.toString(), options());
        NpywServer server = NpywServer.start(db, ServerConfig.defaults().withPort(0))) {
      LoadOptions o =
          LoadOptions.defaults("load", dim, rows)
              .withClients(readers, writers)
              .withDuration(Duration.ofSeconds(seconds))
              .withSeed(seed);
      Duration ttl = Duration.ofHours(1);
      String admin = LoadKeys.admin(db, ttl);
      o =
          o.withTokens(
              LoadKeys.reader(server.uri(), admin, ttl), LoadKeys.writer(server.uri(), admin, ttl));
      log.printf(
          Locale.ROOT,
          "%d query clients and %d writer clients for %d s against %s...%n",
          readers,
          writers,
          seconds,
          server.uri());
      r = LoadDriver.run(server.uri(), o);
    }
    CollectionBenchmark.deleteTree(work);
    out.println();
    out.printf(
        Locale.ROOT,
        "http-load: %d readers, %d writers, %d s, %,d x %d indexed, API keys: %s%n",
        readers,
        writers,
        seconds,
        rows,
        dim,
        "a reader's and a writer's, made over /v1/users and /v1/keys");
    out.print(r.table());
    out.println(
        "RESULT {\"bench\":\"http-load\",\"readers\":"
            + readers
            + ",\"writers\":"
            + writers
            + ",\"report\":"
            + r.json()
            + "}");
    return r.errors() == 0 ? 0 : 1;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().endsWith(".lock")) {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
