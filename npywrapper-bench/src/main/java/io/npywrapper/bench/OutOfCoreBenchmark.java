package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.IndexQuantization;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.query.Hit;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ooc}: a collection larger than the memory the search process may use, searched through the
 * public {@link Collection} API with a float32 graph index and with an int8 graph index (walk over
 * the codes, exact re-ranking from the mapped {@code vectors.npy}). Two steps, so that only the
 * search runs under a memory limit (a Linux memory cgroup, see {@code scripts/ooc-bench.sh}):
 * {@code ooc build} writes the data, two collections ({@code none} and {@code int8}) with their
 * indexes and the exact top-k of every query; {@code ooc search} runs the queries one at a time on
 * one thread and reports recall@k, queries per second, and the bytes read from storage ({@code
 * /proc/self/io} read_bytes) and major page faults per query, for each ef, over two passes (cold,
 * then as warm as the memory allows). Not thread-safe; one run per instance.
 */
final class OutOfCoreBenchmark {
  static final String USAGE =
      """
      ooc build options:
        --dir DIR (/work/npyw-ooc)  --rows N (300000) --dim N (384) --queries N (500)
        --k N (10) --m N (16) --ef-construction N (64) --threads N (2) --seed N (42)
      ooc search options:
        --dir DIR  --variant none|int8  --ef LIST (100,200)  --passes N (2)
        --use-queries N (all)  the first N queries only, split evenly between the passes
      """;

  private static final java.lang.foreign.ValueLayout.OfLong LONG_LE =
      java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final int LATENT = 32;
  private static final int CENTERS = 64;

  private final Map<String, String> opts = new LinkedHashMap<>();
  private final PrintStream log;
  private final String step;

  OutOfCoreBenchmark(String[] args, PrintStream log) {
    this.log = log;
    if (args.length == 0 || !(args[0].equals("build") || args[0].equals("search"))) {
      throw new IllegalArgumentException("ooc needs a step: build or search");
    }
    step = args[0];
    opts.putAll(
        Map.of(
            "dir", "/work/npyw-ooc",
            "rows", "300000",
            "dim", "384",
            "queries", "500",
            "k", "10",
            "m", "16",
            "ef-construction", "64",
            "threads", "2",
            "seed", "42"));
    opts.putAll(
        Map.of("variant", "int8", "ef", "100,200", "passes", "2", "use-queries", "1000000000"));
    BenchArgs.forEach(
        Arrays.copyOfRange(args, 1, args.length),
        Set.of(),
        (name, value) -> {
          if (!name.startsWith("--") || !opts.containsKey(name.substring(2))) {
            throw new IllegalArgumentException("unknown option " + name);
          }
          opts.put(name.substring(2), value);
        });
    IndexQuantization.parse(opts.get("variant"));
  }

  private int num(String name) {
    return Integer.parseInt(opts.get(name));
  }

  void run(PrintStream out) throws IOException {
    if (step.equals("build")) {
      build(out);
    } else {
      search(out);
    }
  }

  // ---------------------------------------------------------------- build

  private void build(PrintStream out) throws IOException {
    Path dir = Path.of(opts.get("dir"));
    Files.createDirectories(dir);
    int rows = num("rows");
    int dim = num("dim");
    int nq = num("queries");
    Path vectors = dir.resolve("vectors.npy");
    Path queries = dir.resolve("queries.npy");
    long t0 = System.nanoTime();
    generate(vectors, queries, rows, nq, dim, num("seed"));
    log.printf(Locale.ROOT, "generated %d x %d in %.1f s%n", rows, dim, secs(t0));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("rows", rows);
    result.put("dim", dim);
    result.put("vector_bytes", Files.size(vectors));
    for (IndexQuantization q : IndexQuantization.values()) {
      Path db = dir.resolve(q.id());
      IndexOptions io =
          IndexOptions.defaults()
              .withM(num("m"))
              .withEfConstruction(num("ef-construction"))
              .withThreads(num("threads"))
              .withMinRows(1)
              .withBackground(false)
              .withQuantization(q);
      EngineOptions eo = Database.defaultOptions().withIndex(io);
      try (Database d = Database.open(db.toString(), eo);
          Collection c = d.create(CollectionSpec.of("v", dim, Metric.L2))) {
        long t1 = System.nanoTime();
        Importer.Result imp = new Importer(c.engine()).importNpy(vectors, null, n -> {});
        log.printf(
            Locale.ROOT,
            "%s: imported %d segment(s) in %.1f s%n",
            q.id(),
            imp.segments(),
            secs(t1));
        SegmentIndexer.Result r = c.buildIndexes(io);
        log.printf(Locale.ROOT, "%s: indexed in %.1f s%n", q.id(), r.seconds());
        result.put(q.id() + "_build_seconds", Math.round(r.seconds() * 10) / 10.0);
        result.put(q.id() + "_index_bytes", indexBytes(db));
        if (q == IndexQuantization.NONE) {
          long t2 = System.nanoTime();
          writeTruth(c, queries, dir.resolve("truth.npy"), num("k"));
          log.printf(Locale.ROOT, "exact top-%d of %d queries in %.1f s%n", num("k"), nq, secs(t2));
        }
      }
    }
    out.println("RESULT " + Json.write(result));
  }

  /** Bytes of the index files (graph, codes, params) under {@code db}. */
  private static long indexBytes(Path db) throws IOException {
    try (Stream<Path> s = Files.walk(db)) {
      return s.filter(p -> p.getFileName().toString().startsWith("index-"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /**
   * Rows near a {@value #LATENT}-dimensional subspace, clustered in it (like real embeddings), with
   * a little noise in every dimension; queries drawn the same way.
   */
  static void generate(Path base, Path queryFile, int rows, int queries, int dim, long seed)
      throws IOException {
    Random rnd = new Random(seed);
    float[][] projection = new float[LATENT][dim];
    for (float[] p : projection) {
      for (int j = 0; j < dim; j++) {
        p[j] = (float) (rnd.nextGaussian() / Math.sqrt(LATENT));
      }
    }
    float[][] centers = new float[CENTERS][LATENT];
    for (float[] c : centers) {
      for (int l = 0; l < LATENT; l++) {
        c[l] = (float) rnd.nextGaussian() * 3;
      }
    }
    for (int f = 0; f < 2; f++) {
      Path file = f == 0 ? base : queryFile;
      int n = f == 0 ? rows : queries;
      float[] row = new float[dim];
      float[] z = new float[LATENT];
      try (NpyStreamWriter w =
          NpyStreamWriter.createFloat32(
              file, dim, WriteOptions.DEFAULT.withoutSync().overwriting())) {
        for (int i = 0; i < n; i++) {
          float[] c = centers[rnd.nextInt(CENTERS)];
          for (int l = 0; l < LATENT; l++) {
            z[l] = c[l] + (float) rnd.nextGaussian();
          }
          for (int j = 0; j < dim; j++) {
            row[j] = (float) rnd.nextGaussian() * 0.1f;
          }
          for (int l = 0; l < LATENT; l++) {
            float[] p = projection[l];
            for (int j = 0; j < dim; j++) {
              row[j] += z[l] * p[j];
            }
          }
          w.appendRow(row);
        }
        w.finish();
      }
    }
  }

  private static void writeTruth(Collection c, Path queries, Path truth, int k) throws IOException {
    try (NpyArray q = NpyArray.open(queries)) {
      int nq = (int) q.rows();
      long[] ids = new long[nq * k];
      for (int i = 0; i < nq; i++) {
        List<Hit> hits = c.query().nearest(q.readRow(i)).limit(k).exact().execute().hits();
        for (int j = 0; j < k; j++) {
          ids[i * k + j] = (Long) hits.get(j).id();
        }
      }
      NpyWriter.write(truth, ids, new long[] {nq, k}, WriteOptions.DEFAULT.overwriting());
    }
  }

  // ---------------------------------------------------------------- search

  private void search(PrintStream out) throws IOException {
    Path dir = Path.of(opts.get("dir"));
    IndexQuantization variant = IndexQuantization.parse(opts.get("variant"));
    int[] efs = Arrays.stream(opts.get("ef").split(",")).mapToInt(Integer::parseInt).toArray();
    float[][] queries;
    long[][] truth;
    try (NpyArray q = NpyArray.open(dir.resolve("queries.npy"));
        NpyArray t = NpyArray.open(dir.resolve("truth.npy"))) {
      queries = new float[(int) Math.min(q.rows(), num("use-queries"))][];
      truth = new long[queries.length][(int) t.rowLength()];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = q.readRow(i);
        for (int j = 0; j < truth[i].length; j++) {
          truth[i][j] = t.data().get(LONG_LE, 8L * ((long) i * truth[i].length + j));
        }
      }
    }
    int k = truth[0].length;
    EngineOptions eo =
        Database.defaultOptions()
            .withIndex(IndexOptions.defaults().withBackground(false).withQuantization(variant));
    long openStart = System.nanoTime();
    try (Database d = Database.open(dir.resolve(variant.id()).toString(), eo);
        Collection c = d.collection("v")) {
      c.query().nearest(queries[0]).limit(k).ef(efs[0]).threads(1).execute(); // opens the index
      log.printf(Locale.ROOT, "%s: opened in %.1f s%n", variant.id(), secs(openStart));
      for (int pass = 1; pass <= num("passes"); pass++) {
        // Each pass its own queries, so rows re-ranked in one pass are not cached for the next.
        int per = queries.length / num("passes");
        int from = (pass - 1) * per;
        int to = from + per;
        for (int ef : efs) {
          long[] io0 = ProcStats.read();
          long t0 = System.nanoTime();
          long found = 0;
          for (int i = from; i < to; i++) {
            List<Hit> hits =
                c.query().nearest(queries[i]).limit(k).ef(ef).threads(1).execute().hits();
            for (Hit h : hits) {
              long id = (Long) h.id();
              for (long want : truth[i]) {
                if (want == id) {
                  found++;
                  break;
                }
              }
            }
          }
          double s = secs(t0);
          long[] io1 = ProcStats.read();
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("variant", variant.id());
          r.put("pass", pass);
          r.put("ef", ef);
          r.put("queries", per);
          r.put("recall", Math.round(found * 10000.0 / (per * (double) k)) / 10000.0);
          r.put("qps", Math.round(per / s * 10) / 10.0);
          r.put("read_kib_per_query", Math.round((io1[0] - io0[0]) / 1024.0 / per * 10) / 10.0);
          r.put("major_faults_per_query", Math.round((io1[1] - io0[1]) * 10.0 / per) / 10.0);
          r.put("rss_mib", io1[2] >> 20);
          out.println("RESULT " + Json.write(r));
          out.flush();
        }
      }
    }
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
