package io.npywrapper.bench.ann;

import io.npywrapper.bench.BenchArgs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Options of {@code npyw-bench.jar ann}, parsed and bounds-checked. Immutable and thread-safe.
 *
 * @param data cache of prepared data sets and scratch indexes
 * @param out where the results (JSON, CSV, PNG) go
 * @param datasets data set names ({@code fashion-mnist}, {@code clustered-<rows>x<dim>})
 * @param queries query vectors per data set
 * @param k neighbours per query
 * @param efs the search breadths swept for the graph indexes
 * @param nprobes the FAISS IVF probe counts swept
 * @param reps timed runs per point (median reported)
 * @param peers libraries to run: ours, lucene, hnswlib, faiss
 * @param segments segment counts of our collection to measure
 * @param threads threads of the all-threads variants (1 to skip them)
 * @param python the interpreter with hnswlib and faiss
 * @param fashionDir where Fashion-MNIST's IDX files are
 * @param plot whether to draw the PNG
 * @param npywJar the CLI jar for the {@code npyw search --stats} points, or null to skip them
 * @param reuseIndexes whether indexes built by an earlier run (same data set and settings) are
 *     searched instead of rebuilt
 */
public record AnnOptions(
    Path data,
    Path out,
    List<String> datasets,
    int queries,
    int k,
    int[] efs,
    int[] nprobes,
    int reps,
    List<String> peers,
    int[] segments,
    int threads,
    String python,
    Path fashionDir,
    boolean plot,
    Path npywJar,
    boolean reuseIndexes) {

  static final List<String> PEERS = List.of("ours", "lucene", "hnswlib", "faiss");

  public static final String USAGE =
      """
      ann options (recall@k vs QPS side by side; results as JSON, CSV and a PNG plot):
        --data DIR        data set cache and scratch indexes (default /tmp/npyw-ann)
        --out DIR         results directory (default DATA/results)
        --datasets LIST   fashion-mnist and/or clustered-<rows>x<dim>
                          (default fashion-mnist,clustered-100000x128)
        --queries N       queries per data set (default 1000)
        --k K             neighbours per query (default 10)
        --efs LIST        search breadths of the graph indexes (default 10,16,24,32,48,64,96,128,192,256,384)
        --nprobes LIST    FAISS IVF probes (default 1,2,4,8,16,32,64,128)
        --reps R          timed runs per point, median reported (default 3)
        --peers LIST      any of ours,lucene,hnswlib,faiss (default all)
        --segments LIST   segment counts of our collection (default 1,4)
        --threads T       threads of the all-threads variants; 1 skips them (default: processors)
        --python EXE      Python with python3-hnswlib and python3-faiss (default /usr/bin/python3)
        --fashion-dir DIR Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
        --no-plot         skip the PNG
        --npyw JAR        also time `npyw search --stats` with this CLI jar
                          (npywrapper-cli/target/npyw.jar) on our 1-segment store
        --reuse-indexes   search indexes an earlier run built in DATA for the same data set
                          and settings (their recorded build time is reported) instead of
                          rebuilding them
      """;

  /** Parses {@code args}; throws IllegalArgumentException naming the bad option. */
  public static AnnOptions parse(String[] args) {
    var o = // the options read so far, with their defaults; assigned by the walker below
        new Object() {
          Path data = Path.of("/tmp/npyw-ann");
          Path out = null;
          List<String> datasets = List.of("fashion-mnist", "clustered-100000x128");
          int queries = 1000;
          int k = 10;
          int[] efs = {10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384};
          int[] nprobes = {1, 2, 4, 8, 16, 32, 64, 128};
          int reps = 3;
          List<String> peers = PEERS;
          int[] segments = {1, 4};
          int threads = Runtime.getRuntime().availableProcessors();
          String python = "/usr/bin/python3";
          Path fashionDir = AnnDatasets.FASHION_DIR;
          boolean plot = true;
          Path npywJar = null;
          boolean reuse = false;
        };
    BenchArgs.forEach(
        args,
        Set.of("--no-plot", "--reuse-indexes"),
        (a, v) -> {
          switch (a) {
            case "--no-plot" -> o.plot = false;
            case "--reuse-indexes" -> o.reuse = true;
            case "--data" -> o.data = Path.of(v);
            case "--out" -> o.out = Path.of(v);
            case "--datasets" -> o.datasets = list(v);
            case "--queries" -> o.queries = positive(a, v);
            case "--k" -> o.k = positive(a, v);
            case "--efs" -> o.efs = ints(a, v);
            case "--nprobes" -> o.nprobes = ints(a, v);
            case "--reps" -> o.reps = positive(a, v);
            case "--peers" -> o.peers = list(v);
            case "--segments" -> o.segments = ints(a, v);
            case "--threads" -> o.threads = positive(a, v);
            case "--python" -> o.python = v;
            case "--fashion-dir" -> o.fashionDir = Path.of(v);
            case "--npyw" -> o.npywJar = Path.of(v);
            default -> throw new IllegalArgumentException("unknown option " + a);
          }
        });
    for (String p : o.peers) {
      if (!PEERS.contains(p)) {
        throw new IllegalArgumentException("--peers: unknown peer '" + p + "', expected " + PEERS);
      }
    }
    if (o.k > AnnDataset.GT_K) {
      throw new IllegalArgumentException("--k must be at most " + AnnDataset.GT_K + ", got " + o.k);
    }
    return new AnnOptions(
        o.data,
        o.out == null ? o.data.resolve("results") : o.out,
        o.datasets,
        o.queries,
        o.k,
        o.efs,
        o.nprobes,
        o.reps,
        o.peers,
        o.segments,
        o.threads,
        o.python,
        o.fashionDir,
        o.plot,
        o.npywJar,
        o.reuse);
  }

  private static List<String> list(String v) {
    List<String> l =
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (l.isEmpty()) {
      throw new IllegalArgumentException("empty list: '" + v + "'");
    }
    return l;
  }

  private static int positive(String option, String v) {
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": expected a number, got '" + v + "'");
    }
    if (n < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, got " + n);
    }
    return n;
  }

  private static int[] ints(String option, String v) {
    return list(v).stream().mapToInt(s -> positive(option, s)).toArray();
  }
}
