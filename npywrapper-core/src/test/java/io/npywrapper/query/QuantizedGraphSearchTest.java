package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.IndexQuantization;
import io.npywrapper.collection.Rows;
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
 * Nearest-neighbour queries over int8-quantized graph indexes (walk over the codes, exact
 * re-ranking from {@code vectors.npy}): recall against the exact scan for every metric, filters,
 * deletes and upserts, conversion of a float32 index, vacuum, and corrupt codes or parameters
 * files.
 */
class QuantizedGraphSearchTest {
  static final int DIM = 32;
  static final IndexOptions INT8 =
      new IndexOptions(16, 100, 1_000, 1, false).withQuantization(IndexQuantization.INT8);

  @TempDir Path dir;

  private Database open(boolean background) throws Exception {
    EngineOptions o =
        Database.defaultOptions()
            .withCompactionMillis(0)
            .withIndex(INT8.withBackground(background));
    return Database.open(dir.toString(), o);
  }

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

  private static double recall(Query q, int expectSize) throws Exception {
    List<Hit> truth = q.exact().execute().hits();
    List<Hit> got = q.withDistances().execute().hits();
    assertEquals(expectSize, truth.size());
    assertEquals(expectSize, got.size(), "never fewer than k when k match");
    Set<Object> t = new HashSet<>();
    truth.forEach(h -> t.add(h.id()));
    for (int i = 1; i < got.size(); i++) {
      assertTrue(got.get(i - 1).distance() <= got.get(i).distance(), "exact order after re-rank");
    }
    return got.stream().filter(h -> t.contains(h.id())).count() / (double) Math.max(1, expectSize);
  }

  private List<Path> files(String suffix) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void recallAgainstExactForEveryMetric(Metric metric) throws Exception {
    Random rnd = new Random(Seeds.of(1100 + metric.ordinal()));
    try (Database db = open(false);
        Collection c = create(db, metric)) {
      float[][] v = fill(c, rnd, 8_000, metric == Metric.DOT);
      assertEquals(1, c.buildIndexes().built());
      assertNotNull(c.snapshot().select(null).graph(0), "the query path sees the index");
      assertEquals(1, files(".i8.npy").size(), "codes written next to the graph");
      assertEquals(1, files(".i8.params").size(), "parameters written next to the graph");
      double sum = 0;
      for (int i = 0; i < 30; i++) {
        sum += recall(c.query().nearest(near(v, rnd)).limit(10), 10);
      }
      assertTrue(sum / 30 >= 0.95, metric + " int8 recall@10 " + sum / 30);
    }
  }

  @Test
  void deeperRerankRaisesRecallAndShallowOneIsRejected() throws Exception {
    long seed = Seeds.of(1150);
    Random rnd = new Random(seed);
    try (Database db = open(false);
        Collection c = create(db, Metric.L2)) {
      float[][] v = fill(c, rnd, 8_000, false);
      c.buildIndexes();
      double shallow = 0;
      double deep = 0;
      int n = 30;
      for (int i = 0; i < n; i++) {
        Query q = c.query().nearest(near(v, rnd)).limit(10).ef(20);
        shallow += recall(q.rerank(10), 10);
        deep += recall(q.rerank(100), 10);
      }
      shallow /= n;
      deep /= n;
      System.out.println("seed " + seed + ": recall@10 rerank 10 " + shallow + ", 100 " + deep);
      assertTrue(deep >= shallow, "rerank 100 recall " + deep + " < rerank 10 " + shallow);
      assertTrue(deep >= 0.97, "recall@10 with rerank 100: " + deep);
      Query tooShallow = c.query().nearest(v[0]).limit(10).offset(5).rerank(12);
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, tooShallow::execute);
      assertEquals(
          "rerank must be at least limit + offset = 15 (the rows returned come from the re-ranked"
              + " candidates), got 12",
          e.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> c.query().rerank(0));
    }
  }

  @Test
  void rerankIsIgnoredByFloatIndexes() throws Exception {
    Random rnd = new Random(Seeds.of(1160));
    try (Database db = open(false);
        Collection c = create(db, Metric.L2)) {
      float[][] v = fill(c, rnd, 3_000, false);
      c.buildIndexes(INT8.withQuantization(IndexQuantization.NONE));
      for (int i = 0; i < 5; i++) {
        Query q = c.query().nearest(near(v, rnd)).limit(10).ef(20).withDistances();
        assertEquals(q.execute().hits(), q.rerank(10).execute().hits());
        assertEquals(q.execute().hits(), q.rerank(500).execute().hits());
      }
    }
  }

  @Test
  void filtersDeletesAndUpserts() throws Exception {
    Random rnd = new Random(Seeds.of(1200));
    try (Database db = open(false);
        Collection c = create(db, Metric.L2)) {
      float[][] v = fill(c, rnd, 12_000, false);
      c.buildIndexes();
      for (int below : new int[] {1, 10, 100, 500, 1000}) {
        double sum = 0;
        for (int i = 0; i < 15; i++) {
          sum += recall(c.query().where("b < " + below).nearest(near(v, rnd)).limit(10), 10);
        }
        assertTrue(sum / 15 >= 0.95, "recall@10 " + sum / 15 + " at b < " + below);
      }
      Set<Long> deleted = new HashSet<>();
      long[] del = rnd.longs(1_200, 0, 12_000).distinct().toArray();
      c.delete(io.npywrapper.collection.Ids.of(del));
      for (long d : del) {
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
  void convertsAFloatIndexAndVacuumKeepsTheCodes() throws Exception {
    Random rnd = new Random(Seeds.of(1300));
    try (Database db = open(false);
        Collection c = create(db, Metric.COSINE)) {
      float[][] v = fill(c, rnd, 5_000, false);
      assertEquals(1, c.buildIndexes(INT8.withQuantization(IndexQuantization.NONE)).built());
      assertEquals(0, files(".i8.npy").size());
      assertEquals(0, c.buildIndexes().built(), "the engine keeps a usable index of any kind");
      assertEquals(1, c.buildIndexes(INT8).built(), "an explicit int8 build converts it");
      assertEquals(0, c.buildIndexes(INT8).built());
      new Vacuum(c.engine()).vacuum(Duration.ZERO);
      assertEquals(1, files(".hnsw").size(), "the float32 graph is vacuumed");
      assertEquals(1, files(".i8.npy").size(), "vacuum keeps the referenced codes");
      assertEquals(1, files(".i8.params").size(), "vacuum keeps the referenced parameters");
      assertNotNull(c.snapshot().select(null).graph(0));
      assertTrue(recall(c.query().nearest(near(v, rnd)).limit(10), 10) >= 0.8);
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {".i8.npy", ".i8.params"})
  void corruptQuantizationFileIsIgnoredAndRebuilt(String suffix) throws Exception {
    Random rnd = new Random(Seeds.of(1400));
    float[][] v;
    try (Database db = open(false);
        Collection c = create(db, Metric.L2)) {
      v = fill(c, rnd, 4_000, false);
      c.buildIndexes();
    }
    Path file = files(suffix).getFirst();
    byte[] b = Files.readAllBytes(file);
    b[b.length - 7] ^= 0x10; // in the codes, or in the parameters' steps
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
      assertEquals(2, files(suffix).size(), "new files; the corrupt ones are left for vacuum");
      assertTrue(recall(c.query().nearest(q).limit(10), 10) >= 0.8);
    }
  }
}
