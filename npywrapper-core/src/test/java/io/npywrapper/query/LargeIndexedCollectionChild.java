package io.npywrapper.query;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.IndexQuantization;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.LowRank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The child of {@link LargerThanHeapIndexTest}, run with a heap several times smaller than its
 * collection: streams {@code rows x dim} float32 vectors to a {@code .npy}, imports them into a
 * collection, builds its int8 graph index and searches it through the public {@link Collection}
 * API, comparing with exact queries. Prints {@code RESULT recall=... vectorBytes=... codeBytes=...
 * maxHeap=... graphs=...} on success.
 *
 * <p>Args: DIR ROWS DIM SEED. The data lies near a 16-dimensional subspace, clustered in it.
 */
public final class LargeIndexedCollectionChild {
  private static final int QUERIES = 20;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    int dim = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    Random rnd = new Random(seed);
    Path source = dir.resolve("source.npy");
    LowRank data = LowRank.random(rnd, dim);
    data.write(source, rows, 5, rnd);
    IndexOptions index =
        new IndexOptions(8, 32, 1_000, 1, false).withQuantization(IndexQuantization.INT8);
    Path store = dir.resolve("db");
    try (Database db = Database.open(store.toString(), Database.defaultOptions().withIndex(index));
        Collection c = db.create(CollectionSpec.of("big", dim, Metric.L2))) {
      new Importer(c.engine()).importNpy(source, null, n -> {});
      Files.delete(source);
      SegmentIndexer.Result built = c.buildIndexes();
      int graphs = 0;
      for (int s = 0; s < c.segments().size(); s++) {
        graphs += c.snapshot().select(null).graph(s) == null ? 0 : 1;
      }
      int found = 0;
      for (int q = 0; q < QUERIES; q++) {
        float[] query = new float[dim];
        data.sample(rnd, query);
        Query nearest = c.query().nearest(query).limit(10);
        List<Hit> truth = nearest.exact().execute().hits();
        Set<Object> t = new HashSet<>();
        truth.forEach(h -> t.add(h.id()));
        for (Hit h : nearest.execute().hits()) {
          found += t.contains(h.id()) ? 1 : 0;
        }
      }
      long vectorBytes = 0;
      long codeBytes = 0;
      try (Stream<Path> s = Files.walk(store)) {
        for (Path p : s.toList()) {
          String name = p.getFileName().toString();
          if (name.equals("vectors.npy")) {
            vectorBytes += Files.size(p);
          } else if (name.endsWith(".i8.npy")) {
            codeBytes += Files.size(p);
          }
        }
      }
      System.out.printf(
          "RESULT recall=%.4f vectorBytes=%d codeBytes=%d maxHeap=%d graphs=%d built=%d%n",
          found / (double) (QUERIES * 10),
          vectorBytes,
          codeBytes,
          Runtime.getRuntime().maxMemory(),
          graphs,
          built.built());
    }
  }
}
