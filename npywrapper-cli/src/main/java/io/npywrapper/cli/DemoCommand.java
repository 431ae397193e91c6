package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.Snapshot;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyConvert;
import io.npywrapper.npy.NpyHeader;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code npyw demo}: the README's main job for now. Writes sample embeddings, labels and names as
 * {@code .npy} files, memory-maps them back, searches the embeddings exactly, converts them to
 * float16, and prints what each file holds and the numpy line that opens it.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Write, memory-map and inspect sample .npy files, then import them into a collection.")
final class DemoCommand implements Callable<Integer> {
  private static final int CLUSTERS = 16;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to write the sample files (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of("npyw-demo");

  @Option(names = "--rows", description = "Embedding rows (default: ${DEFAULT-VALUE}).")
  int rows = 100_000;

  @Option(names = "--dim", description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
  int dim = 128;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (rows < 1 || dim < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rows and --dim must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(dir);
    WriteOptions replace = WriteOptions.DEFAULT.overwriting();

    Path embeddings = dir.resolve("embeddings.npy");
    long t0 = System.nanoTime();
    writeEmbeddings(embeddings, replace);
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    out.printf(
        Locale.ROOT,
        "wrote %s: %d x %d float32 in %.2f s (streamed, fsynced, published atomically)%n",
        embeddings,
        rows,
        dim,
        writeSeconds);

    Path labels = dir.resolve("labels.npy");
    long[] labelValues = new long[rows];
    for (int i = 0; i < rows; i++) {
      labelValues[i] = i % CLUSTERS; // the cluster each row was drawn from
    }
    NpyWriter.write(labels, labelValues, new long[] {rows}, replace);
    Path names = dir.resolve("names.npy");
    NpyWriter.writeStrings(names, new String[] {"alpha", "béta", "γάμμα", "δ"}, replace);
    Path half = dir.resolve("embeddings-f16.npy");
    NpyConvert.convert(embeddings, half, DType.FLOAT16, replace);
    out.printf("wrote %s, %s and %s%n%n", labels, names, half);

    for (Path p : new Path[] {embeddings, labels, names, half}) {
      try (NpyArray a = NpyArray.open(p)) {
        NpyHeader h = a.header();
        out.printf(
            "%-34s %-9s %-14s %s order, .npy %s, data at byte %d, %s%n",
            p.getFileName(),
            h.dtype().name(),
            NpyHeader.shapeString(h.shape()),
            h.fortranOrder() ? "F" : "C",
            h.version(),
            h.dataOffset(),
            Sizes.human(h.fileSize()));
      }
    }
    out.println();

    long openStart = System.nanoTime();
    try (NpyArray a = NpyArray.open(embeddings);
        NpyArray l = NpyArray.open(labels);
        NpyArray n = NpyArray.open(names)) {
      double openMicros = (System.nanoTime() - openStart) / 1e3 / 3;
      out.printf(Locale.ROOT, "memory-mapped 3 files in %.0f us each%n", openMicros);
      float[] query = a.readRow(0);
      long searchStart = System.nanoTime();
      long[] best = nearest(a, query, 5);
      double searchMs = (System.nanoTime() - searchStart) / 1e6;
      out.printf(
          Locale.ROOT,
          "exact 5 nearest neighbours of row 0 (L2, %d rows scanned in place, %.1f ms):%n",
          rows,
          searchMs);
      for (long r : best) {
        out.printf(
            Locale.ROOT,
            "  row %-7d cluster %-3d distance %.4f%n",
            r,
            l.getLong(r),
            Math.sqrt(l2(a.readRow(r), query)));
      }
      out.printf("names.npy[1] = %s, names.npy[2] = %s%n", n.getString(1), n.getString(2));
    }
    importIntoCollection(out, embeddings);
    out.printf(
        "%nopen them with numpy: python3 -c \"import numpy as np;"
            + " a = np.load('%s', mmap_mode='r'); print(a.shape, a.dtype)\"%n",
        embeddings);
    out.flush();
    return 0;
  }

  /** Imports the embeddings into a collection of a store under the demo directory. */
  private void importIntoCollection(PrintWriter out, Path embeddings) throws IOException {
    Path store = dir.resolve("store");
    try (Database db = Database.open(store.toString())) {
      db.drop("demo");
      Collection c = db.create(CollectionSpec.of("demo", dim, Metric.L2));
      long t0 = System.nanoTime();
      Importer.Result r = new Importer(c.engine()).importNpy(embeddings, null, n -> {});
      double seconds = (System.nanoTime() - t0) / 1e9;
      c.delete(Ids.of(0));
      c.flush();
      Snapshot s = c.snapshot();
      out.printf(
          Locale.ROOT,
          "%nimported %s into collection 'demo' of store %s in %.2f s (%d segment(s));%n"
              + "deleted id 0 -> version %d, %d rows; version %d still has row 0: %s%n",
          embeddings.getFileName(),
          store,
          seconds,
          r.segments(),
          s.version(),
          s.count(),
          r.version(),
          c.atVersion(r.version()).get(0L).isPresent());
      float[] query = c.get(1L).orElseThrow().vector();
      c.query().nearest(query).limit(5).execute(); // warm-up: JIT and first page faults
      long q0 = System.nanoTime();
      var hits = c.query().nearest(query).limit(5).withDistances().execute().hits();
      double queryMs = (System.nanoTime() - q0) / 1e6;
      out.printf(
          Locale.ROOT,
          "collection query: 5 nearest of row 1 in %.1f ms (exact, SIMD, segments in parallel): ",
          queryMs);
      for (var h : hits) {
        out.printf(Locale.ROOT, "%s (%.2f) ", h.id(), h.distance());
      }
      out.println();
      out.printf("try: ./npyw --store %s info demo%n", store);
    }
  }

  /** Clustered random vectors: row i is centre i % CLUSTERS plus noise, streamed row by row. */
  private void writeEmbeddings(Path path, WriteOptions options) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    float[][] centres = new float[CLUSTERS][dim];
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) random.nextGaussian();
      }
    }
    float[] row = new float[dim];
    try (NpyStreamWriter w = NpyStreamWriter.createFloat32(path, dim, options)) {
      for (int i = 0; i < rows; i++) {
        float[] c = centres[i % centres.length];
        for (int j = 0; j < dim; j++) {
          row[j] = c[j] + 0.3f * (float) random.nextGaussian();
        }
        w.appendRow(row);
      }
      w.finish();
    }
  }

  private static long[] nearest(NpyArray a, float[] query, int k) {
    long[] ids = new long[k];
    double[] dist = new double[k];
    java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
    float[] row = new float[query.length];
    for (long r = 0; r < a.rows(); r++) {
      a.readRow(r, row, 0);
      double d = l2(row, query);
      if (d < dist[k - 1]) {
        int i = k - 1;
        while (i > 0 && dist[i - 1] > d) {
          dist[i] = dist[i - 1];
          ids[i] = ids[i - 1];
          i--;
        }
        dist[i] = d;
        ids[i] = r;
      }
    }
    return ids;
  }

  private static double l2(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i];
      s += d * d;
    }
    return s;
  }
}
