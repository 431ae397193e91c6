package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A cached store for the HTTP benchmarks: float32 vectors of dimension {@code dim} drawn around
 * {@code clusters} Gaussian centres (seeded), in two collections — {@code flat}, {@code rows} rows
 * without an index, and {@code ann}, the first {@code annRows} of the same rows with a graph index
 * (a separate count because building the graph is by far the slowest step) — plus a separate seeded
 * query set from the same distribution. Built once under {@code dir}; a marker file {@code
 * dir/READY} records the parameters, and a later run with the same parameters reuses the store
 * instead of rebuilding the index; a run with other parameters is refused, never built over the
 * finished store. Not thread-safe.
 */
final class ClusteredStore {
  static final String ANN = "ann";
  static final String FLAT = "flat";
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Path dir;
  private final long rows;
  private final long annRows;
  private final int dim;
  private final int clusters;
  private final int m;
  private final int efConstruction;
  private final int buildThreads;
  private final PrintStream log;

  ClusteredStore(
      Path dir,
      long rows,
      long annRows,
      int dim,
      int clusters,
      int m,
      int efConstruction,
      int buildThreads,
      PrintStream log) {
    this.dir = dir;
    this.rows = rows;
    this.annRows = annRows;
    this.dim = dim;
    this.clusters = clusters;
    this.m = m;
    this.efConstruction = efConstruction;
    this.buildThreads = buildThreads;
    this.log = log;
  }

  /** The store directory (a database root). */
  Path storeDir() {
    return dir.resolve("store");
  }

  /** Engine options for opening the store: no background indexing or compaction. */
  static EngineOptions options() {
    return Database.defaultOptions()
        .withCompactionMillis(0)
        .withIndex(IndexOptions.defaults().withBackground(false));
  }

  private String marker() {
    return String.format(
        Locale.ROOT,
        "rows=%d annRows=%d dim=%d clusters=%d seed=1 m=%d efConstruction=%d%n",
        rows,
        annRows,
        dim,
        clusters,
        m,
        efConstruction);
  }

  /**
   * Makes sure the store exists with these parameters, building it when {@code dir} holds none or
   * only an unfinished build.
   *
   * @throws IllegalArgumentException when {@code dir} holds a finished store built with other
   *     parameters: it is kept (a graph over a million rows takes minutes to half an hour to
   *     build), and the message names both sets of parameters
   */
  void prepare() throws IOException {
    Path ready = dir.resolve("READY");
    if (Files.exists(ready)) {
      String built = Files.readString(ready).trim();
      if (!built.equals(marker().trim())) {
        throw new IllegalArgumentException(
            dir
                + " holds a store built with "
                + built
                + "; this run asks for "
                + marker().trim()
                + ": give another --dir, or delete "
                + dir
                + " to rebuild it");
      }
      log.println("reusing " + storeDir() + " (" + built + ")");
      return;
    }
    Files.createDirectories(dir);
    CollectionBenchmark.deleteTree(storeDir());
    try (Database db = Database.open(storeDir().toString(), options())) {
      for (String name : new String[] {ANN, FLAT}) {
        long n = name.equals(ANN) ? annRows : rows;
        Path src = dir.resolve("vectors.npy");
        log.printf(Locale.ROOT, "writing %,d x %d clustered vectors to %s%n", n, dim, src);
        writeClustered(src, n, 1, 2);
        long t0 = System.nanoTime();
        Collection c = db.create(CollectionSpec.of(name, dim, Metric.L2));
        new Importer(c.engine()).importNpy(src, null, x -> {});
        log.printf(Locale.ROOT, "imported %s in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        Files.delete(src);
      }
      log.printf(
          Locale.ROOT,
          "building the graph index of '%s' (m %d, efConstruction %d, %d threads)...%n",
          ANN,
          m,
          efConstruction,
          buildThreads);
      SegmentIndexer.Result r =
          db.collection(ANN)
              .buildIndexes(
                  IndexOptions.defaults()
                      .withM(m)
                      .withEfConstruction(efConstruction)
                      .withThreads(buildThreads)
                      .withBackground(false));
      log.printf(
          Locale.ROOT,
          "built %d index(es) over %,d rows in %.1f s%n",
          r.built(),
          r.rowsIndexed(),
          r.seconds());
    }
    Files.writeString(ready, marker(), StandardCharsets.UTF_8);
  }

  /** {@code n} query vectors from the same distribution as the data, with their own seed. */
  float[][] queries(int n) throws IOException {
    Path q = dir.resolve("queries-" + n + ".npy");
    if (!Files.exists(q)) {
      writeClustered(q, n, 1, 3);
    }
    float[][] out = new float[n][dim];
    try (NpyArray a = NpyArray.open(q)) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < dim; j++) {
          out[i][j] = a.data().get(FLOAT_LE, a.byteOffset(i, j));
        }
      }
    }
    return out;
  }

  /**
   * Writes {@code n} vectors: centres drawn with {@code centreSeed} (N(0,1) per coordinate), each
   * point a random centre plus N(0, 0.5²) noise drawn with {@code pointSeed}.
   */
  private void writeClustered(Path target, long n, long centreSeed, long pointSeed)
      throws IOException {
    SplittableRandom cr = new SplittableRandom(centreSeed);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) cr.nextGaussian();
      }
    }
    SplittableRandom pr = new SplittableRandom(pointSeed);
    float[] row = new float[dim];
    Files.deleteIfExists(target);
    try (NpyStreamWriter w =
        NpyStreamWriter.createFloat32(target, dim, WriteOptions.DEFAULT.withoutSync())) {
      for (long i = 0; i < n; i++) {
        float[] c = centres[pr.nextInt(clusters)];
        for (int j = 0; j < dim; j++) {
          row[j] = c[j] + 0.5f * (float) pr.nextGaussian();
        }
        w.appendRow(row);
      }
      w.finish();
    }
  }
}
