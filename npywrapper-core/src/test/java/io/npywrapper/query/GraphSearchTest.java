package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.Rows;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.collection.Vacuum;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Clustered;
import io.npywrapper.testing.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nearest-neighbour queries over segments with graph indexes: recall against the exact scan for
 * every metric, filtered walks at selectivities from 0.1% to 100%, deletes and upserts, time travel
 * to before the index, corrupt index files, background builds and vacuum.
 */
class GraphSearchTest {
  static final int DIM = 32;
  static final IndexOptions INDEX = new IndexOptions(16, 100, 1_000, 1, false);

  @TempDir Path dir;

  private Database open(boolean background) throws Exception {
    EngineOptions o =
        Database.defaultOptions()
            .withCompactionMillis(0)
            .withIndex(INDEX.withBackground(background));
    return Database.open(dir.toString(), o);
  }

  /** {@code n} clustered rows with ids 0..n-1 and attribute b = id % 1000, in one segment. */
  private static float[][] fill(Collection c, Random rnd, int n, boolean unit) throws Exception {
    float[][] v = Clustered.vectors(rnd, n, DIM, 30);
    if (unit) {
      Clustered.normalize(v);
    }
    long[] ids = new long[n];
    List<Map<String, Object>> attrs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      attrs.add(Map.of("b", (long) (i % 1000)));
    }
    c.add(Rows.of(v).withIds(ids).withAttributes(attrs));
    c.flush();
    return v;
  }

  private static Collection create(Database db, Metric m) throws Exception {
    return db.create(
        CollectionSpec.of("c", DIM, m)
            .withSchema(
                Schema.of(new java.util.LinkedHashMap<>(Map.of("b", AttributeType.INT64)))));
  }

  private static float[] near(float[][] v, Random rnd) {
    float[] q = v[rnd.nextInt(v.length)].clone();
    for (int i = 0; i < q.length; i++) {
      q[i] += 0.2f * (float) rnd.nextGaussian();
    }
    return q;
  }

  private static Set<Object> ids(List<Hit> hits) {
    Set<Object> s = new HashSet<>();
    hits.forEach(h -> s.add(h.id()));
    return s;
  }

  /** Recall of {@code q} against its exact twin; checks the result size too. */
  private static double recall(Query q, int expectSize) throws Exception {
    List<Hit> truth = q.exact().execute().hits();
    List<Hit> got = q.execute().hits();
    assertEquals(expectSize, truth.size());
    assertEquals(expectSize, got.size(), "never fewer than k when k match");
    Set<Object> t = ids(truth);
    return got.stream().filter(h -> t.contains(h.id())).count() / (double) Math.max(1, expectSize);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void recallAgainstExactForEveryMetric(Metric metric) throws Exception {
    Random rnd = new Random(Seeds.of(100 + metric.ordinal()));
    try (Database db = open(false);
        Collection c = create(db, metric)) {
      float[][] v = fill(c, rnd, 12_000, metric == Metric.DOT);
      assertNull(c.snapshot().select(null).graph(0), "no index before building");
      SegmentIndexer.Result r = c.buildIndexes();
      assertEquals(1, r.built());
      assertNotNull(c.snapshot().select(null).graph(0), "the query path sees the index");
      assertEquals(0, c.buildIndexes().built(), "nothing left to build");
      double sum = 0;
      for (int i = 0; i < 30; i++) {
        sum += recall(c.query().nearest(near(v, rnd)).limit(10), 10);
      }
      assertTrue(sum / 30 >= 0.95, metric + " recall@10 " + sum / 30);
    }
  }

  @Test
  void filteredSearchAtEverySelectivityDeletesAndUpserts() throws Exception {
    Random rnd = new Random(Seeds.of(200));
    try (Database db = open(false);
        Collection c = create(db, Metric.L2)) {
      float[][] v = fill(c, rnd, 20_000, false);
      c.buildIndexes();
      for (int below : new int[] {1, 10, 100, 500, 1000}) {
        double sum = 0;
        for (int i = 0; i < 15; i++) {
          sum += recall(c.query().where("b < " + below).nearest(near(v, rnd)).limit(10), 10);
        }
        assertTrue(
            sum / 15 >= 0.95, "recall@10 " + sum / 15 + " at selectivity " + below / 10.0 + "%");
      }
      // Fewer matching rows than k: all of them, from either path.
      long[] few = {3, 1003, 2003};
      c.delete(io.npywrapper.collection.Ids.of(few));
      Query rare = c.query().where("b = 3").nearest(near(v, rnd)).limit(30);
      assertEquals(17, rare.execute().hits().size());
      // Delete a tenth of the rows and move some others: the walk must step over them.
      Set<Long> deleted = new HashSet<>();
      long[] del = rnd.longs(2_000, 0, 20_000).distinct().toArray();
      c.delete(io.npywrapper.collection.Ids.of(del));
      for (long d : del) {
        deleted.add(d);
      }
      for (long d : few) {
        deleted.add(d);
      }
      long[] moved = {5, 6, 7};
      float[][] far = new float[3][DIM];
      for (float[] f : far) {
        java.util.Arrays.fill(f, 100f);
      }
      c.upsert(
          Rows.of(far)
              .withIds(moved)
              .withAttributes(List.of(Map.of("b", 5L), Map.of("b", 6L), Map.of("b", 7L))));
      c.flush();
      double sum = 0;
      for (int i = 0; i < 20; i++) {
        float[] q = i < 3 ? v[(int) moved[i]].clone() : near(v, rnd);
        Query query = c.query().nearest(q).limit(10);
        sum += recall(query, 10);
        for (Hit h : query.withDistances().execute().hits()) {
          assertFalse(deleted.contains((Long) h.id()), "deleted row " + h.id() + " returned");
          if (java.util.Arrays.binarySearch(moved, (Long) h.id()) >= 0) {
            assertTrue(h.distance() > 1000, "old vector of upserted row " + h.id() + " returned");
          }
        }
      }
      assertTrue(sum / 20 >= 0.95, "recall@10 after deletes " + sum / 20);
    }
  }

  @Test
  void timeTravelBeforeTheIndexAndVacuumKeepsIt() throws Exception {
    Random rnd = new Random(Seeds.of(300));
    try (Database db = open(false);
        Collection c = create(db, Metric.COSINE)) {
      float[][] v = fill(c, rnd, 5_000, false);
      long before = c.snapshot().version();
      long after = c.buildIndexes().version();
      assertTrue(after > before);
      float[] q = near(v, rnd);
      List<Hit> old = c.query().atVersion(before).nearest(q).limit(5).execute().hits();
      assertEquals(c.query().nearest(q).limit(5).exact().execute().hits(), old);
      new Vacuum(c.engine()).vacuum(Duration.ZERO);
      assertEquals(1, indexFiles().size(), "vacuum keeps the referenced index");
      assertNotNull(c.snapshot().select(null).graph(0));
      assertEquals(5, c.query().nearest(q).limit(5).execute().hits().size());
    }
  }

  private List<Path> indexFiles() throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".hnsw")).toList();
    }
  }

  @Test
  void corruptIndexIsIgnoredAndRebuiltInTheBackground() throws Exception {
    Random rnd = new Random(Seeds.of(400));
    float[][] v;
    try (Database db = open(false);
        Collection c = create(db, Metric.L2)) {
      v = fill(c, rnd, 4_000, false);
      c.buildIndexes();
    }
    Path file = indexFiles().getFirst();
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x10;
    Files.write(file, b);
    try (Database db = open(true);
        Collection c = db.collection("c")) {
      float[] q = near(v, rnd);
      List<Hit> got = c.query().nearest(q).limit(10).execute().hits();
      assertEquals(c.query().nearest(q).limit(10).exact().execute().hits(), got);
      long deadline = System.currentTimeMillis() + 120_000;
      while (c.snapshot().select(null).graph(0) == null) {
        assertTrue(System.currentTimeMillis() < deadline, "index rebuilt in the background");
        Thread.sleep(50);
      }
      assertEquals(2, indexFiles().size(), "a new file; the corrupt one is left for vacuum");
      assertTrue(recall(c.query().nearest(q).limit(10), 10) >= 0.8);
    }
  }

  @Test
  void backgroundIndexerBuildsAfterImportAndCompactionAndSkipsSmallSegments() throws Exception {
    Random rnd = new Random(Seeds.of(500));
    try (Database db = open(true);
        Collection c = db.create(CollectionSpec.of("c", DIM, Metric.DOT))) {
      float[][] small = Clustered.vectors(rnd, 500, DIM, 10);
      c.add(Rows.of(small)); // under minRows: never indexed
      c.flush();
      float[][] v = Clustered.vectors(rnd, 3_000, DIM, 10);
      Path file = dir.resolve("import.npy");
      io.npywrapper.npy.NpyWriter.write(
          file,
          Clustered.flat(v),
          new long[] {v.length, DIM},
          io.npywrapper.npy.WriteOptions.DEFAULT);
      new io.npywrapper.collection.Importer(c.engine()).importNpy(file, null, n -> {});
      awaitGraph(c, 1, "index built in the background after an import");
      assertNull(c.snapshot().select(null).graph(0));
      assertEquals(0, c.buildIndexes().built());
      // Compaction merges both into a new, unindexed segment: indexed in the background too.
      new io.npywrapper.collection.Compactor(c.engine()).compact();
      assertEquals(1, c.snapshot().segmentCount());
      awaitGraph(c, 0, "index built in the background after a compaction");
      float[] q = v[7].clone();
      assertEquals(10, c.query().nearest(q).limit(10).execute().hits().size());
    }
  }

  private static void awaitGraph(Collection c, int segment, String what) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (c.snapshot().select(null).graph(segment) == null) {
      assertTrue(System.currentTimeMillis() < deadline, what);
      Thread.sleep(50);
    }
  }
}
