package io.npywrapper.bench;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.Rows;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.query.Hit;
import io.npywrapper.query.Query;
import io.npywrapper.search.Metric;
import io.npywrapper.search.graph.GraphIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Per-query overhead of the public query path over a bare walk of the same graph, one query at a
 * time on one thread: {@code Query.nearest(q).ef(ef).execute()} against {@code GraphIndex.search}
 * on the segment's own index, and Lucene's own scorer (VectorUtil over {@code float[]}) walking an
 * on-heap Lucene graph over the same vectors for reference. Prints one line per setting. Usage:
 * {@code GraphOverhead [rows] [dim] [queries]} (default 50,000 x 128, 1,000).
 */
public final class GraphOverhead {
  private static final int ROUNDS = 7;

  private GraphOverhead() {}

  private static double[] best(double[] a, double[] b) {
    return b[0] > a[0] ? b : a;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int nq = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    Random rnd = new Random(42);
    float[][] v = clustered(rnd, n, dim);
    float[][] queries = new float[nq][];
    for (int i = 0; i < nq; i++) {
      queries[i] = v[rnd.nextInt(n)].clone();
      for (int d = 0; d < dim; d++) {
        queries[i][d] += 0.1f * (float) rnd.nextGaussian();
      }
    }
    Path dir = Files.createTempDirectory("npyw-graph-overhead");
    IndexOptions io = new IndexOptions(16, 100, 1_000, 1, false);
    try (Database db =
            Database.open(
                dir.toString(), Database.defaultOptions().withCompactionMillis(0).withIndex(io));
        Collection c = db.create(CollectionSpec.of("bench", dim, Metric.L2))) {
      c.add(Rows.of(v));
      c.flush();
      SegmentIndexer.Result built = c.buildIndexes();
      System.out.printf(
          Locale.ROOT,
          "built %d x %d (m=16, efConstruction=100) in %.1f s%n",
          n,
          dim,
          built.seconds());
      GraphIndex g = c.snapshot().select(null).graph(0);
      List<Set<Object>> truth = new ArrayList<>();
      for (float[] q : queries) {
        truth.add(ids(c.query().nearest(q).limit(10).exact().execute().hits()));
      }
      long buildStart = System.nanoTime();
      OnHeapHnswGraph lucene = luceneGraph(v, dim);
      System.out.printf(
          Locale.ROOT,
          "lucene on-heap graph built in %.1f s%n",
          (System.nanoTime() - buildStart) / 1e9);
      for (int ef : new int[] {10, 20, 40, 80, 160}) {
        // Interleaved rounds, best of each (the machine is shared: the best is the least
        // disturbed).
        double[] bare = {0, 0};
        double[] api = {0, 0};
        double[] luc = {0, 0};
        for (int round = 0; round < ROUNDS; round++) {
          bare = best(bare, timeBare(g, queries, truth, ef, c));
          api = best(api, timeQuery(c, queries, truth, ef));
          luc = best(luc, timeLucene(lucene, v, queries, truth, ef));
        }
        System.out.printf(
            Locale.ROOT,
            "ef %4d  bare graph %8.0f qps recall %.3f | Query API %8.0f qps recall %.3f"
                + " (%+.1f us/query) | lucene scorer, on-heap graph %8.0f qps recall %.3f%n",
            ef,
            bare[0],
            bare[1],
            api[0],
            api[1],
            1e6 / api[0] - 1e6 / bare[0],
            luc[0],
            luc[1]);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static double[] timeBare(
      GraphIndex g, float[][] queries, List<Set<Object>> truth, int ef, Collection c)
      throws IOException {
    double hit = 0;
    long t0 = System.nanoTime();
    int[][] rows = new int[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      rows[i] = g.search(queries[i], 10, ef, null, g.size(), Long.MAX_VALUE).rows();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < queries.length; i++) {
      for (int r : rows[i]) {
        hit += truth.get(i).contains((long) r) ? 1 : 0; // ids are 0..n-1 in row order
      }
    }
    return new double[] {queries.length / s, hit / (10.0 * queries.length)};
  }

  private static double[] timeQuery(
      Collection c, float[][] queries, List<Set<Object>> truth, int ef) throws IOException {
    Query base = c.query().limit(10).ef(ef).threads(1);
    List<Set<Object>> got = new ArrayList<>();
    long t0 = System.nanoTime();
    for (float[] q : queries) {
      got.add(ids(base.nearest(q).execute().hits()));
    }
    double s = (System.nanoTime() - t0) / 1e9;
    return new double[] {queries.length / s, recall(truth, got)};
  }

  private static double[] timeLucene(
      OnHeapHnswGraph graph, float[][] v, float[][] queries, List<Set<Object>> truth, int ef)
      throws IOException {
    FloatVectorValues values = FloatVectorValues.fromFloats(List.of(v), v[0].length);
    List<Set<Object>> got = new ArrayList<>();
    long t0 = System.nanoTime();
    for (float[] q : queries) {
      RandomVectorScorer scorer =
          DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
              VectorSimilarityFunction.EUCLIDEAN, values, q);
      TopKnnCollector col =
          new TopKnnCollector(ef, Integer.MAX_VALUE, KnnSearchStrategy.Hnsw.DEFAULT);
      HnswGraphSearcher.search(scorer, col, graph, null);
      Set<Object> s = new HashSet<>();
      var docs = col.topDocs().scoreDocs;
      for (int i = 0; i < Math.min(10, docs.length); i++) {
        s.add((long) docs[i].doc);
      }
      got.add(s);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    return new double[] {queries.length / s, recall(truth, got)};
  }

  private static OnHeapHnswGraph luceneGraph(float[][] v, int dim) throws IOException {
    FloatVectorValues values = FloatVectorValues.fromFloats(List.of(v), dim);
    RandomVectorScorerSupplier sup =
        DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
            VectorSimilarityFunction.EUCLIDEAN, values);
    return HnswGraphBuilder.create(sup, 16, 100, 42).build(v.length);
  }

  private static double recall(List<Set<Object>> truth, List<Set<Object>> got) {
    double hit = 0;
    for (int i = 0; i < truth.size(); i++) {
      for (Object o : got.get(i)) {
        hit += truth.get(i).contains(o) ? 1 : 0;
      }
    }
    return hit / (10.0 * truth.size());
  }

  private static Set<Object> ids(List<Hit> hits) {
    Set<Object> s = new HashSet<>();
    hits.forEach(h -> s.add(h.id()));
    return s;
  }

  private static float[][] clustered(Random rnd, int n, int dim) {
    float[][] centres = new float[100][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) rnd.nextGaussian();
      }
    }
    float[][] out = new float[n][dim];
    for (float[] r : out) {
      float[] c = centres[rnd.nextInt(centres.length)];
      for (int i = 0; i < dim; i++) {
        r[i] = c[i] + 0.5f * (float) rnd.nextGaussian();
      }
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
