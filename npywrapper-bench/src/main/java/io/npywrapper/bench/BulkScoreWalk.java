package io.npywrapper.bench;

import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import io.npywrapper.search.graph.MappedFloatVectors;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * What scoring several rows per kernel pass ({@link VectorKernels#distances}) gains per graph walk:
 * the same HNSW graph over the same off-heap rows is walked with {@link MappedFloatVectors}' query
 * scorer three ways, one query at a time, alternating: as is (its {@code bulkScore} scores up to 16
 * neighbours per pass), handed at most four neighbours per call, and wrapped so that every
 * neighbour is scored on its own (Lucene's default {@code bulkScore}); the median microseconds per
 * walk of each are printed with their ratio to the first. Usage: {@code bulk-score [l2|dot|cosine]
 * [rows] [dim] [queries] [ef]} (default cosine, 30,000 x 256, 1,000, 32). Not thread-safe; a
 * command-line tool.
 */
final class BulkScoreWalk {
  private static final int ROUNDS = 3;

  private BulkScoreWalk() {}

  static void run(String[] args, PrintStream out) throws IOException {
    Metric metric = Metric.parse(args.length > 0 ? args[0] : "cosine");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
    int dim = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int nq = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    int ef = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    Random rnd = new Random(42);
    float[][] centres = new float[100][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) rnd.nextGaussian();
      }
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment data = arena.allocate(4L * n * dim, 64);
      ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
      for (int r = 0; r < n; r++) {
        float[] c = centres[rnd.nextInt(centres.length)];
        for (int i = 0; i < dim; i++) {
          data.set(le, 4L * ((long) r * dim + i), c[i] + 0.5f * (float) rnd.nextGaussian());
        }
      }
      MappedFloatVectors v = new MappedFloatVectors(data, n, dim, metric, VectorKernels.get());
      long t0 = System.nanoTime();
      OnHeapHnswGraph g = HnswGraphBuilder.create(v.buildScorers(), 16, 100, 42).build(n);
      out.printf(
          Locale.ROOT,
          "%s %d x %d, kernels %s: graph (m 16, efConstruction 100) built in %.1f s%n",
          metric.id(),
          n,
          dim,
          VectorKernels.get().name(),
          (System.nanoTime() - t0) / 1e9);
      float[][] queries = new float[nq][dim];
      for (float[] q : queries) {
        float[] c = centres[rnd.nextInt(centres.length)];
        for (int i = 0; i < dim; i++) {
          q[i] = c[i] + 0.5f * (float) rnd.nextGaussian();
        }
      }
      int runs = ROUNDS * nq;
      String[] names = {"as is (up to 16 rows per pass)", "up to 4 rows per pass", "1 row"};
      long[][] ns = new long[names.length][runs];
      long[] visited = new long[names.length];
      for (int r = 0; r < runs; r++) {
        for (int k = 0; k < names.length; k++) {
          int way = (k + r) % names.length;
          // each way takes a different query than the others just ran, so none finds its rows
          // warmed up by another
          float[] q = queries[(r + way * (nq / names.length)) % nq];
          RandomVectorScorer bulk = v.queryScorer(q);
          RandomVectorScorer scorer =
              switch (way) {
                case 0 -> bulk;
                case 1 -> new Chunked(bulk, 4);
                default -> new OneAtATime(bulk);
              };
          long s = System.nanoTime();
          TopKnnCollector col =
              new TopKnnCollector(ef, Integer.MAX_VALUE, KnnSearchStrategy.Hnsw.DEFAULT);
          HnswGraphSearcher.search(scorer, col, g, null);
          ns[way][r] = System.nanoTime() - s;
          visited[way] += col.visitedCount();
        }
      }
      out.printf(Locale.ROOT, "ef %d, %d walks each, alternating; median us/walk:", ef, runs);
      for (int w = 0; w < names.length; w++) {
        out.printf(
            Locale.ROOT,
            " %s %.1f (%.2fx, visited %d)%s",
            names[w],
            median(ns[w]),
            median(ns[w]) / median(ns[0]),
            visited[w] / runs,
            w + 1 < names.length ? " |" : System.lineSeparator());
      }
    }
  }

  private static double median(long[] ns) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e3;
  }

  /** Hands a scorer's {@code bulkScore} at most {@code chunk} nodes per call. */
  private static final class Chunked implements RandomVectorScorer {
    private final RandomVectorScorer in;
    private final int chunk;
    private final int[] part;
    private final float[] partScores;

    Chunked(RandomVectorScorer in, int chunk) {
      this.in = in;
      this.chunk = chunk;
      this.part = new int[chunk];
      this.partScores = new float[chunk];
    }

    @Override
    public float bulkScore(int[] nodes, float[] scores, int numNodes) throws IOException {
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < numNodes; i += chunk) {
        int n = Math.min(chunk, numNodes - i);
        System.arraycopy(nodes, i, part, 0, n);
        max = Math.max(max, in.bulkScore(part, partScores, n));
        System.arraycopy(partScores, 0, scores, i, n);
      }
      return max;
    }

    @Override
    public float score(int node) throws IOException {
      return in.score(node);
    }

    @Override
    public int maxOrd() {
      return in.maxOrd();
    }
  }

  /** Hides a scorer's {@code bulkScore}: Lucene's default then scores one node at a time. */
  private record OneAtATime(RandomVectorScorer in) implements RandomVectorScorer {
    @Override
    public float score(int node) throws IOException {
      return in.score(node);
    }

    @Override
    public int maxOrd() {
      return in.maxOrd();
    }
  }
}
