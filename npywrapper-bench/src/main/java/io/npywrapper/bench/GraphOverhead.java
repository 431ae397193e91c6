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
  private static final int ROUNDS = 3;

  private GraphOverhead() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int nq = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    Random rnd = new Random(42);
    float[][] v = clustered(rnd, n, dim);
    float[][] queries = queriesNear(rnd, v, nq);
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
      FloatVectorValues values = FloatVectorValues.fromFloats(List.of(v), dim);
      for (int ef : new int[] {10, 20, 40, 80, 160}) {
        // The three ways run interleaved, one query each in a rotating order, and the median
        // per-query latency of each way is reported: on a shared machine, load spikes hit single
        // queries and leave the medians alone.
        int runs = ROUNDS * queries.length;
        long[][] ns = new long[3][runs];
        List<Set<Object>> gotBare = new ArrayList<>();
        List<Set<Object>> gotApi = new ArrayList<>();
        List<Set<Object>> gotLucene = new ArrayList<>();
        List<Set<Object>> truthBare = new ArrayList<>();
        List<Set<Object>> truthApi = new ArrayList<>();
        List<Set<Object>> truthLucene = new ArrayList<>();
        Query base = c.query().limit(10).ef(ef).threads(1);
        for (int r = 0; r < runs; r++) {
          for (int k = 0; k < 3; k++) {
            int way = (k + r) % 3;
            // Each way takes another query than the one just run, so no way finds the vectors and
            // graph pages of its query warmed up by another way.
            int i = (r + way * (queries.length / 3)) % queries.length;
            float[] q = queries[i];
            long t0 = System.nanoTime();
            Set<Object> got =
                switch (way) {
                  case 0 -> bare(g, q, ef);
                  case 1 -> ids(base.nearest(q).execute().hits());
                  default -> lucene(lucene, values, q, ef);
                };
            ns[way][r] = System.nanoTime() - t0;
            if (r < queries.length) {
              (way == 0 ? gotBare : way == 1 ? gotApi : gotLucene).add(got);
              (way == 0 ? truthBare : way == 1 ? truthApi : truthLucene).add(truth.get(i));
            }
          }
        }
        double[] med = new double[3];
        for (int w = 0; w < 3; w++) {
          long[] sorted = ns[w].clone();
          java.util.Arrays.sort(sorted);
          med[w] = sorted[sorted.length / 2] / 1e3;
        }
        System.out.printf(
            Locale.ROOT,
            "ef %4d  median us/query: bare graph %7.1f (recall %.3f) | Query API %7.1f (recall %.3f,"
                + " %+.1f us) | Lucene scorer + on-heap graph %7.1f (recall %.3f)%n",
            ef,
            med[0],
            recall(truthBare, gotBare),
            med[1],
            recall(truthApi, gotApi),
            med[1] - med[0],
            med[2],
            recall(truthLucene, gotLucene));
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static Set<Object> bare(GraphIndex g, float[] q, int ef) throws IOException {
    Set<Object> s = new HashSet<>();
    for (int r : g.search(q, 10, ef, null, g.size(), Long.MAX_VALUE).rows()) {
      s.add((long) r); // ids are 0..n-1 in row order
    }
    return s;
  }

  private static Set<Object> lucene(
      OnHeapHnswGraph graph, FloatVectorValues values, float[] q, int ef) throws IOException {
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
    return s;
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

  /** {@code nq} queries: stored rows drawn at random, each plus N(0, 0.1²) noise per dimension. */
  static float[][] queriesNear(Random rnd, float[][] v, int nq) {
    float[][] queries = new float[nq][];
    for (int i = 0; i < nq; i++) {
      queries[i] = v[rnd.nextInt(v.length)].clone();
      for (int d = 0; d < queries[i].length; d++) {
        queries[i][d] += 0.1f * (float) rnd.nextGaussian();
      }
    }
    return queries;
  }

  /** {@code n} rows around 100 seeded Gaussian centres (N(0,1)), spread N(0, 0.5²). */
  static float[][] clustered(Random rnd, int n, int dim) {
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
