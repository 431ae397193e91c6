package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.IdType;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpyHeader;
import io.npywrapper.npy.NpzWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.query.Hit;
import io.npywrapper.query.Query;
import io.npywrapper.query.QueryResult;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code npyw search COLLECTION --query Q.npy [--k 10] [--filter EXPR] [--ef N] [--rerank N |
 * --exact] [--threads T] [--out RESULT.npz] [--stats]}: the k nearest rows of each query vector.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Find the k nearest rows to each query vector (the collection's metric), among the rows"
          + " matching --filter.",
      "Q.npy is (queries, dim) or (dim,), any real dtype. Without --out, prints one JSON line per"
          + " query: {\"query\":0,\"results\":[{\"id\":..,\"distance\":..},..]}.",
      "RESULT.npz holds 'ids' (queries, k) int64 (unicode for string ids) and 'distances'"
          + " (queries, k) float32, padded with -1 (\"\" for string ids) and inf where fewer than"
          + " k rows match.",
      "Segments with a graph index (npyw index) are searched approximately, --ef N trading speed"
          + " for recall (default 100); --exact scans every matching row. On int8-indexed segments"
          + " (npyw index --quantize int8) --rerank N re-ranks the walk's best N candidates"
          + " exactly (default 4 x k); other segments ignore it.",
      "--stats first runs untimed warm-up passes over the first queries until they stop getting"
          + " faster (at least 3 s, at most 15 s) so that JIT compilation is not timed, then times"
          + " one pass over all queries."
    })
final class SearchCommand extends DatabaseCommand implements Callable<Integer> {
  /** Warm-up before a --stats pass lasts at least this long... */
  static final long WARMUP_MIN_NANOS = 3_000_000_000L;

  /** ...and at most this long, however the passes' speed still changes. */
  static final long WARMUP_MAX_NANOS = 15_000_000_000L;

  /** Warm-up ends after this many passes in a row none of which beat the fastest by 2%. */
  static final int WARMUP_FLAT_PASSES = 10;

  /** Warm-up passes search at most this many of the queries, which bounds one pass's time. */
  static final int WARMUP_QUERIES = 256;

  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--query", required = true, paramLabel = "Q.npy", description = "query vectors")
  Path queryFile;

  @Option(names = "--k", paramLabel = "K", description = "neighbours per query (default 10)")
  int k = 10;

  @Option(names = "--filter", paramLabel = "EXPR", description = "only rows matching EXPR")
  String filter;

  @Option(
      names = "--ef",
      paramLabel = "N",
      description = "graph search candidate list size (default 100, at least --k)")
  Integer ef;

  @Option(
      names = "--rerank",
      paramLabel = "N",
      description =
          "int8 indexes: candidates re-ranked with exact distances (default 4 x k, at least --k);"
              + " ignored by float32 indexes")
  Integer rerank;

  @Option(names = "--exact", description = "exact scan of every matching row, no graph")
  boolean exact;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "scan threads (default and cap: available processors)")
  Integer threads;

  @Option(names = "--out", paramLabel = "RESULT.npz", description = "write results to a .npz")
  Path out;

  @Option(names = "--force", description = "replace RESULT.npz if it exists")
  boolean force;

  @Option(
      names = "--stats",
      description =
          "print one JSON line {\"queries\":..,\"seconds\":..,\"qps\":..} timing the search alone;"
              + " results are then written only with --out")
  boolean stats;

  @Override
  public Integer call() throws IOException {
    if (ef != null && exact) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--ef and --exact are mutually exclusive");
    }
    if (rerank != null && exact) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rerank and --exact are mutually exclusive");
    }
    if (rerank != null && rerank < k) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rerank must be at least --k (" + k + "), got " + rerank);
    }
    if (ef != null && ef < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ef must be at least 1");
    }
    try (Database db = openDatabase()) {
      Collection c = db.collection(collection);
      float[][] queries = readQueries(queryFile, c.spec().dim(), collection);
      Query q = c.query().limit(k).withDistances();
      if (filter != null) {
        q = q.where(filter);
      }
      if (threads != null) {
        q = q.threads(threads);
      }
      if (exact) {
        q = q.exact();
      } else if (ef != null) {
        q = q.ef(ef);
      }
      if (rerank != null) {
        q = q.rerank(rerank);
      }
      Query all = q.nearest(queries); // checks every query vector before any warm-up
      if (stats) {
        warmUp(q, queries);
      }
      long start = System.nanoTime();
      QueryResult r = all.execute();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (this.out != null) {
        writeNpz(r, this.out, force);
      } else if (!stats) {
        printJson(r);
      }
      if (stats) {
        out()
            .printf(
                Locale.ROOT,
                "{\"queries\":%d,\"seconds\":%.6f,\"qps\":%.1f}%n",
                queries.length,
                seconds,
                queries.length / Math.max(seconds, 1e-9));
      }
    }
    return 0;
  }

  /**
   * Untimed passes over the first {@link #WARMUP_QUERIES} queries until the code is compiled: until
   * {@link #WARMUP_FLAT_PASSES} passes in a row were no faster than the fastest so far (by 2%),
   * after at least {@link #WARMUP_MIN_NANOS} and at most {@link #WARMUP_MAX_NANOS}. On a busy
   * machine the JIT's compiler threads share the cores with the search, so a fixed short warm-up
   * would time partly interpreted code; measured on 200,000 x 768 at ef 96, a graph search keeps
   * getting faster for about 3 s of searching (455, 2,042, 2,250, 2,344 queries/s per second).
   *
   * @return the number of passes run
   */
  static int warmUp(Query base, float[][] queries) throws IOException {
    Query warm = base.nearest(Arrays.copyOf(queries, Math.min(queries.length, WARMUP_QUERIES)));
    long start = System.nanoTime();
    long fastest = Long.MAX_VALUE;
    int passes = 0;
    int flat = 0;
    while (true) {
      long t0 = System.nanoTime();
      warm.execute();
      long took = System.nanoTime() - t0;
      passes++;
      if (took * 1.02 < fastest) {
        fastest = took;
        flat = 0;
      } else {
        flat++;
      }
      long elapsed = System.nanoTime() - start;
      if (elapsed >= WARMUP_MAX_NANOS
          || (elapsed >= WARMUP_MIN_NANOS && flat >= WARMUP_FLAT_PASSES)) {
        return passes;
      }
    }
  }

  static float[][] readQueries(Path file, int dim, String collection) throws IOException {
    try (NpyArray a = NpyArray.open(file)) {
      if (!a.dtype().isReal() || a.rank() < 1 || a.rank() > 2) {
        throw new IllegalArgumentException(
            file
                + ": queries must be a real (queries, dim) or (dim,) array, got "
                + a.dtype().name()
                + " with shape "
                + Arrays.toString(a.shape()));
      }
      long got = a.rank() == 1 ? a.shape()[0] : a.shape()[1];
      if (got != dim) {
        throw new IllegalArgumentException(
            file
                + ": queries have dimension "
                + got
                + ", collection '"
                + collection
                + "' has dimension "
                + dim);
      }
      if (a.rank() == 1) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
          v[i] = (float) a.getDouble(i);
        }
        return new float[][] {v};
      }
      float[][] out = new float[Math.toIntExact(a.rows())][];
      for (int i = 0; i < out.length; i++) {
        out[i] = a.readRow(i);
      }
      return out;
    }
  }

  private void printJson(QueryResult r) {
    for (int q = 0; q < r.queries(); q++) {
      StringBuilder sb = new StringBuilder("{\"query\":").append(q).append(",\"results\":[");
      List<Hit> hits = r.hits(q);
      for (int i = 0; i < hits.size(); i++) {
        Hit h = hits.get(i);
        sb.append(i == 0 ? "" : ",").append("{\"id\":");
        sb.append(h.id() instanceof String s ? Json.quote(s) : h.id().toString());
        sb.append(",\"distance\":");
        sb.append(Float.isFinite(h.distance()) ? Float.toString(h.distance()) : "null");
        sb.append('}');
      }
      out().println(sb.append("]}"));
    }
  }

  /** Writes 'ids' and 'distances' (queries, k); atomic, so a failure leaves no file. */
  static void writeNpz(QueryResult r, Path file, boolean force) throws IOException {
    WriteOptions opts = force ? WriteOptions.DEFAULT.overwriting() : WriteOptions.DEFAULT;
    long queries = r.queries();
    long width = r.limit();
    float[][] dist = r.distances();
    float[] flatDist = new float[Math.toIntExact(queries * width)];
    for (int q = 0; q < queries; q++) {
      System.arraycopy(dist[q], 0, flatDist, (int) (q * width), (int) width);
    }
    try (NpzWriter w = NpzWriter.create(file, NpzWriter.Compression.STORED, opts)) {
      if (r.idType() == IdType.INT64) {
        long[][] ids = r.ids();
        long[] flat = new long[flatDist.length];
        for (int q = 0; q < queries; q++) {
          System.arraycopy(ids[q], 0, flat, (int) (q * width), (int) width);
        }
        w.add("ids", flat, queries, width);
      } else {
        addUnicode(w, "ids", r.stringIds(), queries, width);
      }
      w.add("distances", flatDist, queries, width);
      w.finish();
    }
  }

  /** Adds strings as numpy's fixed-width '<U n' (UTF-32LE code points, NUL padded). */
  private static void addUnicode(NpzWriter w, String name, String[][] s, long rows, long cols)
      throws IOException {
    int longest = 1;
    for (String[] row : s) {
      for (String x : row) {
        longest = Math.max(longest, x.codePointCount(0, x.length()));
      }
    }
    DType t = DType.unicode(longest, ByteOrder.LITTLE_ENDIAN);
    MemorySegment data =
        MemorySegment.ofArray(new byte[Math.toIntExact(rows * cols * t.itemSize())]);
    ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    long off = 0;
    for (String[] row : s) {
      for (String x : row) {
        long p = off;
        for (int cp : x.codePoints().toArray()) {
          data.set(le, p, cp);
          p += 4;
        }
        off += t.itemSize();
      }
    }
    w.add(name, NpyHeader.of(t, false, rows, cols), data);
  }
}
