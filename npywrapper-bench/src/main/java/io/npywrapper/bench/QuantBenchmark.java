package io.npywrapper.bench;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import io.npywrapper.search.quant.Int8Kernels;
import io.npywrapper.search.quant.QuantizedSearch;
import io.npywrapper.search.quant.QuantizedVectors;
import io.npywrapper.search.quant.Reranker;
import io.npywrapper.search.quant.ScalarQuantizer;
import io.npywrapper.search.quant.ScoredRow;
import io.npywrapper.search.quant.TrainingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * {@code quant}: Lucene's HNSW over float32 rows versus over int8 codes with exact re-ranking, on
 * the same {@code vectors.npy}: build time, then for each beam width recall@k against brute force,
 * single-thread queries per second (one query per call) and the vector bytes each query touches.
 * Not thread-safe; one run per instance.
 */
final class QuantBenchmark {
  static final String USAGE =
      """
      quant options:
        --data clustered|fashion-mnist  (clustered)   fashion-mnist reads /usr/share/datasets/fashion-mnist
        --rows N (100000)  --dim N (128)   clustered data only
        --queries N (1000) --k N (10)  --metric l2|cosine|dot (l2)
        --m N (16) --beam N (100) --ef LIST (10,20,40,80,160) --oversample X (3)
        --dir DIR (/tmp/npyw-quant-bench)  --seed N (42)
      """;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<String, String> opts = new LinkedHashMap<>();
  private final PrintStream log;

  QuantBenchmark(String[] args, PrintStream log) {
    this.log = log;
    opts.putAll(
        Map.of(
            "data", "clustered",
            "rows", "100000",
            "dim", "128",
            "queries", "1000",
            "k", "10",
            "metric", "l2",
            "m", "16",
            "beam", "100",
            "ef", "10,20,40,80,160",
            "oversample", "3"));
    opts.put("dir", "/tmp/npyw-quant-bench");
    opts.put("seed", "42");
    BenchArgs.forEach(
        args,
        Set.of(),
        (name, value) -> {
          if (!name.startsWith("--") || !opts.containsKey(name.substring(2))) {
            throw new IllegalArgumentException("unknown option " + name);
          }
          opts.put(name.substring(2), value);
        });
    Metric.parse(opts.get("metric"));
    if (!opts.get("data").equals("clustered") && !opts.get("data").equals("fashion-mnist")) {
      throw new IllegalArgumentException("--data must be clustered or fashion-mnist");
    }
  }

  private int intOpt(String name) {
    return Integer.parseInt(opts.get(name));
  }

  void run(PrintStream out) throws IOException {
    Path dir = Path.of(opts.get("dir"));
    Files.createDirectories(dir);
    Path base = dir.resolve("vectors.npy");
    Path queryFile = dir.resolve("queries.npy");
    Metric metric = Metric.parse(opts.get("metric"));
    long seed = Long.parseLong(opts.get("seed"));
    int k = intOpt("k");
    long t = System.nanoTime();
    if (opts.get("data").equals("clustered")) {
      QuantData.clustered(base, queryFile, intOpt("rows"), intOpt("queries"), intOpt("dim"), seed);
    } else {
      Path src = Path.of("/usr/share/datasets/fashion-mnist");
      QuantData.idxImages(src.resolve("train-images-idx3-ubyte.gz"), base, Integer.MAX_VALUE);
      QuantData.idxImages(src.resolve("t10k-images-idx3-ubyte.gz"), queryFile, intOpt("queries"));
    }
    log.printf("data written in %.1f s%n", secs(t));
    try (NpyArray vectors = NpyArray.open(base);
        NpyArray queryArray = NpyArray.open(queryFile)) {
      int n = (int) vectors.rows();
      int dim = (int) vectors.rowLength();
      float[][] queries = new float[(int) queryArray.rows()][];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = queryArray.readRow(i);
      }
      t = System.nanoTime();
      int[][] truth = groundTruth(vectors, queries, metric, k);
      log.printf("ground truth (brute force, all cores) in %.1f s%n", secs(t));

      t = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      OnHeapHnswGraph floatGraph =
          HnswGraphBuilder.create(
                  FloatScorers.supplier(vectors, metric), intOpt("m"), intOpt("beam"), seed)
              .build(n);
      double floatBuild = secs(t);
      double floatBuildCpu = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
      log.printf("float32 graph built in %.1f s (%.1f s cpu)%n", floatBuild, floatBuildCpu);

      t = System.nanoTime();
      Path codesFile = dir.resolve(QuantizedVectors.CODES_FILE);
      Path paramsFile = dir.resolve(QuantizedVectors.PARAMS_FILE);
      ScalarQuantizer.train(vectors, metric, TrainingOptions.DEFAULTS)
          .encode(vectors, codesFile, paramsFile, WriteOptions.DEFAULT.withoutSync().overwriting());
      double quantize = secs(t);
      try (QuantizedVectors codes = QuantizedVectors.open(codesFile, paramsFile)) {
        t = System.nanoTime();
        cpu = THREADS.getCurrentThreadCpuTime();
        OnHeapHnswGraph codeGraph =
            HnswGraphBuilder.create(codes.scorerSupplier(), intOpt("m"), intOpt("beam"), seed)
                .build(n);
        double codeBuild = secs(t);
        double codeBuildCpu = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        log.printf(
            "int8 quantized in %.1f s, graph built in %.1f s (%.1f s cpu)%n",
            quantize, codeBuild, codeBuildCpu);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", opts.get("data"));
        result.put("rows", n);
        result.put("dim", dim);
        result.put("metric", metric.id());
        result.put("queries", queries.length);
        result.put("k", k);
        result.put("m", intOpt("m"));
        result.put("beam", intOpt("beam"));
        result.put("oversample", Float.parseFloat(opts.get("oversample")));
        result.put("kernels", VectorKernels.get().name() + "/" + Int8Kernels.get().name());
        result.put("float_build_s", round(floatBuild));
        result.put("int8_quantize_s", round(quantize));
        result.put("int8_build_s", round(codeBuild));
        result.put("float_build_cpu_s", round(floatBuildCpu));
        result.put("int8_build_cpu_s", round(codeBuildCpu));
        result.put("load", SystemInfo.loadAverage());
        List<Map<String, Object>> curve = new ArrayList<>();
        QuantizedSearch qs = new QuantizedSearch(codes, new Reranker(vectors, metric));
        out.printf(
            "%-7s %-5s %8s %9s %9s %9s %9s %12s%n",
            "kind", "ef", "recall", "QPS", "QPS(cpu)", "visited", "reranked", "bytes/query");
        for (String efText : opts.get("ef").split(",")) {
          int ef = Integer.parseInt(efText.trim());
          curve.add(floatPoint(floatGraph, vectors, metric, queries, truth, k, ef, out));
          curve.add(codePoint(codeGraph, qs, dim, queries, truth, k, ef, out));
        }
        result.put("curve", curve);
        out.println("RESULT " + Json.write(result));
      }
    }
  }

  private Map<String, Object> floatPoint(
      OnHeapHnswGraph graph,
      NpyArray vectors,
      Metric metric,
      float[][] queries,
      int[][] truth,
      int k,
      int ef,
      PrintStream out)
      throws IOException {
    double best = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    long found = 0;
    long visited = 0;
    for (int pass = 0; pass < 3; pass++) {
      found = 0;
      visited = 0;
      long t = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      for (int q = 0; q < queries.length; q++) {
        TopKnnCollector c = new TopKnnCollector(Math.max(k, ef), Integer.MAX_VALUE);
        HnswGraphSearcher.search(FloatScorers.query(vectors, metric, queries[q]), c, graph, null);
        TopDocs top = c.topDocs();
        ScoreDoc[] docs = top.scoreDocs;
        for (int i = 0; i < Math.min(k, docs.length); i++) {
          found += contains(truth[q], docs[i].doc) ? 1 : 0;
        }
        visited += c.visitedCount();
      }
      best = Math.min(best, secs(t));
      bestCpu = Math.min(bestCpu, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
    }
    long bytes = Math.round(visited / (double) queries.length) * 4L * vectors.rowLength();
    return point("float32", ef, found, queries.length, k, best, bestCpu, visited, 0, bytes, out);
  }

  private Map<String, Object> codePoint(
      OnHeapHnswGraph graph,
      QuantizedSearch qs,
      int dim,
      float[][] queries,
      int[][] truth,
      int k,
      int ef,
      PrintStream out)
      throws IOException {
    float oversample = Float.parseFloat(opts.get("oversample"));
    double best = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    long found = 0;
    long visited = 0;
    long reranked = 0;
    for (int pass = 0; pass < 3; pass++) {
      found = 0;
      visited = 0;
      reranked = 0;
      long t = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      for (int q = 0; q < queries.length; q++) {
        QuantizedSearch.Result r = qs.search(graph, queries[q], k, ef, oversample, null);
        for (ScoredRow h : r.hits()) {
          found += contains(truth[q], h.row()) ? 1 : 0;
        }
        visited += r.visited();
        reranked += r.reranked();
      }
      best = Math.min(best, secs(t));
      bestCpu = Math.min(bestCpu, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
    }
    double perQueryVisited = visited / (double) queries.length;
    double perQueryReranked = reranked / (double) queries.length;
    long bytes = Math.round(perQueryVisited * dim + perQueryReranked * 4.0 * dim);
    return point(
        "int8", ef, found, queries.length, k, best, bestCpu, visited, reranked, bytes, out);
  }

  private static Map<String, Object> point(
      String kind,
      int ef,
      long found,
      int queries,
      int k,
      double seconds,
      double cpuSeconds,
      long visited,
      long reranked,
      long bytes,
      PrintStream out) {
    double recall = found / (double) (queries * k);
    double qps = queries / seconds;
    double qpsCpu = queries / cpuSeconds;
    out.printf(
        Locale.ROOT,
        "%-7s %-5d %8.4f %9.0f %9.0f %9.0f %9.1f %12d%n",
        kind,
        ef,
        recall,
        qps,
        qpsCpu,
        visited / (double) queries,
        reranked / (double) queries,
        bytes);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", kind);
    p.put("ef", ef);
    p.put("recall", round(recall));
    p.put("qps", Math.round(qps));
    p.put("qps_cpu", Math.round(qpsCpu));
    p.put("visited", round(visited / (double) queries));
    p.put("reranked", round(reranked / (double) queries));
    p.put("bytes_per_query", bytes);
    return p;
  }

  private static int[][] groundTruth(NpyArray vectors, float[][] queries, Metric metric, int k) {
    MemorySegment data = vectors.data();
    long rowBytes = 4L * vectors.rowLength();
    int n = (int) vectors.rows();
    VectorKernels kernels = VectorKernels.get();
    int[][] truth = new int[queries.length][];
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(
            q -> {
              int[] best = new int[k];
              float[] dist = new float[k];
              java.util.Arrays.fill(dist, Float.POSITIVE_INFINITY);
              for (int r = 0; r < n; r++) {
                float d = kernels.distance(metric, queries[q], data, r * rowBytes);
                if (d < dist[k - 1]) {
                  int i = k - 1;
                  while (i > 0 && dist[i - 1] > d) {
                    dist[i] = dist[i - 1];
                    best[i] = best[i - 1];
                    i--;
                  }
                  dist[i] = d;
                  best[i] = r;
                }
              }
              truth[q] = best;
            });
    return truth;
  }

  private static boolean contains(int[] rows, int row) {
    for (int r : rows) {
      if (r == row) {
        return true;
      }
    }
    return false;
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
