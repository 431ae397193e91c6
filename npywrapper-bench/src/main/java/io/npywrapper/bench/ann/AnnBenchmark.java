package io.npywrapper.bench.ann;

import io.npywrapper.bench.Json;
import io.npywrapper.bench.SystemInfo;
import io.npywrapper.search.VectorKernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code npyw-bench.jar ann}: recall@k against queries per second, side by side in one run on the
 * same {@code .npy} files, for npyWrapper through its public API, Lucene's HNSW through {@code
 * IndexSearcher}, and hnswlib and FAISS through Debian's Python; one query per call, from one
 * thread and (ours, Lucene) from all threads; plus index build time and size, and the exact-scan
 * floor. Writes {@code ann-results.json}, {@code ann-results.csv} and {@code ann-recall-qps.png} to
 * the results directory. Not thread-safe: one run at a time.
 */
public final class AnnBenchmark {
  /** The plotting script inside the jar (copied from {@code src/main/python}). */
  static final String PLOT = "plot_ann.py";

  private final AnnOptions o;
  private final PrintStream log;
  private final List<AnnPoint> points = new ArrayList<>();
  private final List<Map<String, Object>> floors = new ArrayList<>();

  public AnnBenchmark(AnnOptions options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  /** Runs every data set and peer, writes the results and returns the points measured. */
  public List<AnnPoint> run(PrintStream out) throws IOException, InterruptedException {
    Files.createDirectories(o.data());
    Files.createDirectories(o.out());
    Map<String, Object> context = context();
    AnnDatasets sets = AnnDatasets.of(o, log);
    for (String name : o.datasets()) {
      AnnDataset set = sets.prepare(name);
      try (AnnDataset.Loaded data = set.load()) {
        log.printf(
            "%n== %s: %,d x %d, %d queries ==%n",
            name, data.rows(), data.dim(), data.queries().length);
        runDataset(data);
      }
    }
    context.put("load_after", SystemInfo.loadAverage());
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("bench", "ann");
    all.put("context", context);
    all.put("points", points.stream().map(AnnPoint::toJson).toList());
    all.put("floors", floors);
    Path json = o.out().resolve("ann-results.json");
    Files.writeString(json, Json.write(all) + "\n");
    List<String> csv = new ArrayList<>();
    csv.add(AnnPoint.csvHeader());
    points.forEach(p -> csv.add(p.toCsv()));
    Files.write(o.out().resolve("ann-results.csv"), csv);
    AnnTable.print(out, points, floors, o.k());
    out.println("results: " + json + " and ann-results.csv");
    if (o.plot()) {
      plot(json, o.out().resolve("ann-recall-qps.png"), out);
    }
    return List.copyOf(points);
  }

  private void runDataset(AnnDataset.Loaded data) throws IOException, InterruptedException {
    List<Contender> contenders = new ArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    float[][] qs = data.queries();
    int k = o.k();
    OursEngine cliStore = null;
    AnnEngine.Build cliBuild = null;
    try {
      if (o.peers().contains("ours")) {
        boolean first = true;
        for (int s : o.segments()) {
          if (s > data.rows()) {
            continue;
          }
          OursEngine ours =
              new OursEngine(
                  o.data().resolve("ours-store-" + data.set().name() + "-" + s),
                  s,
                  o.reuseIndexes());
          open.add(ours);
          AnnEngine.Build b = ours.build(data);
          log.printf(
              "  ours: %d segment(s) built in %.1f s (import %.1f s + index), %,d bytes%n",
              s, b.seconds(), ours.importSeconds(), b.indexBytes());
          String ann = ours.variant();
          String exactName = ours.exactVariant();
          int[] exact = {0};
          contenders.add(new JavaContender(ours, ann, b, 1, "ef", o.efs(), qs, k));
          if (first) {
            cliStore = ours;
            cliBuild = b;
            contenders.add(new JavaContender(ours, exactName, b, 1, "exact", exact, qs, k));
            floors.add(BandwidthFloor.measure(ours, data, k, 200, log));
            if (o.threads() > 1) {
              contenders.add(new JavaContender(ours, ann, b, o.threads(), "ef", o.efs(), qs, k));
              contenders.add(
                  new JavaContender(ours, exactName, b, o.threads(), "exact", exact, qs, k));
            }
          }
          first = false;
        }
      }
      if (o.peers().contains("lucene")) {
        LuceneEngine lucene =
            new LuceneEngine(
                o.data().resolve("lucene-index-" + data.set().name()), o.reuseIndexes());
        open.add(lucene);
        AnnEngine.Build b = lucene.build(data);
        log.printf(
            "  lucene: built in %.1f s, %,d bytes on disk, %,d heap bytes%n",
            b.seconds(), b.indexBytes(), b.heapBytes());
        String v = lucene.variant();
        contenders.add(new JavaContender(lucene, v, b, 1, "ef", o.efs(), qs, k));
        if (o.threads() > 1) {
          contenders.add(new JavaContender(lucene, v, b, o.threads(), "ef", o.efs(), qs, k));
        }
      }
      List<String> libs = PythonWorker.libs(o.peers());
      if (!libs.isEmpty()) {
        PythonWorker py = PythonWorker.start(o.python(), o.data().resolve("python"), data, k, log);
        if (py != null) {
          open.add(py);
          for (String lib : libs) {
            Contender c = py.build(lib, o.efs(), o.nprobes());
            if (c != null) {
              contenders.add(c);
            }
          }
        }
      }
      points.addAll(new Rounds(data, k, o.reps(), log).run(contenders));
      if (o.npywJar() != null && cliStore != null) {
        points.addAll(
            CliSearch.run(
                o.npywJar(),
                cliStore.store(),
                cliStore.collectionName(),
                data,
                k,
                o.efs(),
                1,
                o.reps(),
                cliBuild,
                o.data().resolve("cli"),
                log));
      }
    } finally {
      for (AutoCloseable c : open.reversed()) {
        try {
          c.close();
        } catch (Exception e) {
          log.println("  closing " + c + " failed: " + e);
        }
      }
    }
  }

  private Map<String, Object> context() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("started", Instant.now().toString());
    c.put("cpu", SystemInfo.cpuModel());
    c.put("processors", Runtime.getRuntime().availableProcessors());
    c.put("os", SystemInfo.os());
    c.put("java", Runtime.version().toString());
    c.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    c.put("our_kernels", VectorKernels.get().name());
    c.put("lucene", org.apache.lucene.util.Version.LATEST.toString());
    c.put("k", o.k());
    c.put("queries", o.queries());
    c.put("reps", o.reps());
    c.put("threads_all", o.threads());
    c.put("load_before", SystemInfo.loadAverage());
    return c;
  }

  private void plot(Path json, Path png, PrintStream out) throws IOException, InterruptedException {
    Path script = o.data().resolve(PLOT);
    try (InputStream in = AnnBenchmark.class.getResourceAsStream(PLOT)) {
      if (in == null) {
        throw new IllegalStateException(PLOT + " is missing from the class path");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    ProcessBuilder pb =
        new ProcessBuilder(o.python(), script.toString(), json.toString(), png.toString());
    pb.inheritIO();
    int code = pb.start().waitFor();
    out.println(code == 0 ? "plot: " + png : "plot failed (exit " + code + "), see above");
  }
}
