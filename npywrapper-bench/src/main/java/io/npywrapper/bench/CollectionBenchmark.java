package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.Rows;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The collections engine against numpy on the same disk, in one run: bulk import of an (N, d)
 * float32 {@code .npy} versus {@code np.save} of the same array (both fsynced), the time to open
 * the imported collection and count its rows, and durable upserts of 100 rows per call. Medians of
 * several runs; not thread-safe (one benchmark at a time).
 *
 * <p>{@code java ... -jar npyw-bench.jar collection --rows 10000000 --dim 128 --dir DIR --reps 3}
 */
final class CollectionBenchmark {
  static final String USAGE =
      """
      collection options:
        --rows N       rows of the imported array (default 10000000)
        --dim D        dimension (default 128)
        --dir DIR      scratch directory on the disk to measure (default /tmp/npyw-bench-coll)
        --reps R       runs per measurement, medians reported (default 3)
        --seconds S    duration of the upsert measurement (default 10)
      """;

  private long rows = 10_000_000;
  private int dim = 128;
  private Path dir = Path.of("/tmp/npyw-bench-coll");
  private int reps = 3;
  private int seconds = 10;
  private final PrintStream log;

  CollectionBenchmark(String[] args, PrintStream log) {
    this.log = log;
    BenchArgs.forEach(
        args,
        Set.of(),
        (name, v) -> {
          switch (name) {
            case "--rows" -> rows = Long.parseLong(v);
            case "--dim" -> dim = Integer.parseInt(v);
            case "--dir" -> dir = Path.of(v);
            case "--reps" -> reps = Integer.parseInt(v);
            case "--seconds" -> seconds = Integer.parseInt(v);
            default -> throw new IllegalArgumentException("unknown option " + name);
          }
        });
    if (rows < 1 || dim < 1 || reps < 1 || seconds < 1) {
      throw new IllegalArgumentException("--rows, --dim, --reps and --seconds must be positive");
    }
  }

  void run(PrintStream out) throws Exception {
    Files.createDirectories(dir);
    Path src = dir.resolve("src.npy");
    log.printf("writing %d x %d float32 source (%.2f GB)...%n", rows, dim, bytes() / 1e9);
    writeSource(src);
    double gb = bytes() / 1e9;

    List<Double> numpy = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    try (NumpySaver saver = new NumpySaver(src, dir.resolve("np-out.npy"))) {
      for (int r = 0; r < reps; r++) {
        sync();
        numpy.add(saver.saveSeconds());
        Files.deleteIfExists(dir.resolve("np-out.npy"));
        sync();
        ours.add(importSeconds(src, dir.resolve("store-" + r)));
        if (r < reps - 1) {
          deleteTree(dir.resolve("store-" + r));
        }
      }
    }
    double np = median(numpy);
    double we = median(ours);
    Path store = dir.resolve("store-" + (reps - 1));

    List<Double> opens = new ArrayList<>();
    for (int r = 0; r < 5 + reps * 5; r++) {
      long t0 = System.nanoTime();
      try (Database db =
          Database.open(store.toString(), Database.defaultOptions().withCompactionMillis(0))) {
        long n = db.collection("bench").count();
        if (n != rows) {
          throw new IllegalStateException("count " + n + " != " + rows);
        }
      }
      opens.add((System.nanoTime() - t0) / 1e6);
    }
    double openMs = median(opens.subList(5, opens.size()));
    double upsertRate = upserts(dir.resolve("upserts"));

    out.println();
    out.printf(
        Locale.ROOT,
        "import %,d x %d float32 (%.2f GB), fsynced, median of %d:%n",
        rows,
        dim,
        gb,
        reps);
    out.printf(Locale.ROOT, "  np.save + fsync        %7.2f s  %6.2f GB/s%n", np, gb / np);
    out.printf(
        Locale.ROOT,
        "  npyw import            %7.2f s  %6.2f GB/s   ratio %.2f (goal >= 0.90)%n",
        we,
        gb / we,
        np / we);
    out.printf(
        Locale.ROOT,
        "open %,d-row collection + count: median %.1f ms (goal < 50 ms)%n",
        rows,
        openMs);
    out.printf(
        Locale.ROOT,
        "durable upserts, 100 rows per call, %d s: %,.0f rows/s%n",
        seconds,
        upsertRate);
    out.printf(
        Locale.ROOT,
        "RESULT {\"bench\":\"collection\",\"rows\":%d,\"dim\":%d,\"np_save_s\":%.3f,\"import_s\":%.3f,"
            + "\"import_ratio\":%.3f,\"open_ms\":%.2f,\"upsert_rows_per_s\":%.0f}%n",
        rows,
        dim,
        np,
        we,
        np / we,
        openMs,
        upsertRate);
    deleteTree(store);
    deleteTree(dir.resolve("upserts"));
    Files.deleteIfExists(src);
  }

  private long bytes() {
    return rows * dim * 4L;
  }

  private void writeSource(Path src) throws IOException {
    Files.deleteIfExists(src);
    SplittableRandom random = new SplittableRandom(1);
    float[] row = new float[dim];
    try (NpyStreamWriter w =
        NpyStreamWriter.createFloat32(src, dim, WriteOptions.DEFAULT.withoutSync())) {
      for (long i = 0; i < rows; i++) {
        for (int j = 0; j < dim; j++) {
          row[j] = (float) random.nextGaussian();
        }
        w.appendRow(row);
      }
      w.finish();
    }
  }

  private double importSeconds(Path src, Path store) throws IOException {
    long t0 = System.nanoTime();
    try (Database db =
        Database.open(store.toString(), Database.defaultOptions().withCompactionMillis(0))) {
      Collection c = db.create(CollectionSpec.of("bench", dim, Metric.L2));
      new Importer(c.engine()).importNpy(src, null, n -> {});
    }
    double s = (System.nanoTime() - t0) / 1e9;
    log.printf(Locale.ROOT, "  npyw import: %.2f s%n", s);
    return s;
  }

  private double upserts(Path store) throws IOException {
    SplittableRandom random = new SplittableRandom(2);
    long done = 0;
    long t0;
    long end;
    try (Database db =
        Database.open(store.toString(), Database.defaultOptions().withCompactionMillis(0))) {
      Collection c = db.create(CollectionSpec.of("ups", dim, Metric.L2));
      float[][] v = new float[100][dim];
      long[] ids = new long[100];
      t0 = System.nanoTime();
      end = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        for (int i = 0; i < 100; i++) {
          ids[i] = random.nextLong(1_000_000);
          v[i][0] = ids[i];
        }
        java.util.Arrays.sort(ids);
        for (int i = 1; i < 100; i++) {
          if (ids[i] <= ids[i - 1]) {
            ids[i] = ids[i - 1] + 1;
          }
        }
        c.upsert(Rows.of(v).withIds(ids));
        done += 100;
      }
      end = System.nanoTime();
    }
    return done / ((end - t0) / 1e9);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void sync() throws IOException, InterruptedException {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /**
   * A python process that loads the source array into memory once, then times {@code np.save} plus
   * fsync on request, so numpy writes the same bytes from memory as numpy users do.
   */
  private static final class NumpySaver implements AutoCloseable {
    private static final String SCRIPT =
        """
        import numpy as np, os, sys, time
        a = np.load(sys.argv[1])
        print('loaded', flush=True)
        for line in sys.stdin:
            t = time.perf_counter()
            with open(sys.argv[2], 'wb') as f:
                np.save(f, a)
                f.flush()
                os.fsync(f.fileno())
            print(time.perf_counter() - t, flush=True)
        """;
    private final Process p;
    private final java.io.BufferedReader in;
    private final java.io.PrintWriter cmd;

    NumpySaver(Path src, Path out) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder("python3", "-c", SCRIPT, src.toString(), out.toString());
      pb.environment().remove("OPENBLAS_CORETYPE");
      pb.environment().remove("OPENBLAS_L2_SIZE");
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      p = pb.start();
      in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      cmd = new java.io.PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
      String first = in.readLine();
      if (!"loaded".equals(first)) {
        throw new IOException("numpy worker failed to start: " + first);
      }
    }

    double saveSeconds() throws IOException {
      cmd.println("save");
      String line = in.readLine();
      if (line == null) {
        throw new IOException("numpy worker died");
      }
      return Double.parseDouble(line.trim());
    }

    @Override
    public void close() throws Exception {
      cmd.close();
      p.waitFor();
    }
  }
}
