package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Row;
import io.npywrapper.collection.Rows;
import io.npywrapper.collection.Selection;
import io.npywrapper.collection.Snapshot;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.BoundFilter;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact search against a brute-force reference over the same live rows. */
class ExactSearchTest {
  static final int DIM = 13;
  static final Schema SCHEMA =
      Schema.of(new LinkedHashMap<>(Map.of("n", AttributeType.INT64, "cat", AttributeType.STRING)));

  @TempDir Path dir;

  /** Three segments, deletes and upserts in them, and unflushed rows in the memtable. */
  static Collection populate(Database db, Metric metric, Random rnd) throws Exception {
    return populate(db, metric, rnd, DIM);
  }

  static Collection populate(Database db, Metric metric, Random rnd, int dim) throws Exception {
    Collection c = db.create(CollectionSpec.of("q", dim, metric).withSchema(SCHEMA));
    long id = 0;
    for (int seg = 0; seg < 3; seg++) {
      c.add(batch(rnd, id, 700, dim));
      id += 700;
      c.flush();
    }
    c.delete(Ids.of(3, 4, 5, 701, 1500));
    c.upsert(batch(rnd, 10, 20, dim)); // replaces ids 10..29 of segment 0 (in the memtable)
    c.add(batch(rnd, id, 150, dim)); // memtable only
    return c;
  }

  static Rows batch(Random rnd, long firstId, int n) {
    return batch(rnd, firstId, n, DIM);
  }

  static Rows batch(Random rnd, long firstId, int n, int dim) {
    float[][] v = new float[n][dim];
    long[] ids = new long[n];
    List<Map<String, Object>> attrs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        // a coarse grid so that ties in distance actually happen
        v[i][d] = rnd.nextInt(5) - 2;
      }
      ids[i] = firstId + i;
      Map<String, Object> a = new HashMap<>();
      a.put("n", rnd.nextInt(10) == 0 ? null : (long) rnd.nextInt(1000));
      a.put("cat", List.of("a", "b", "c").get(rnd.nextInt(3)));
      attrs.add(a);
    }
    return Rows.of(v).withIds(ids).withAttributes(attrs);
  }

  /** Every live row, by brute force over select(null). */
  static List<Row> liveRows(Snapshot snap) throws Exception {
    Selection all = snap.select(null);
    List<Row> rows = new ArrayList<>(all.memRows());
    for (int s = 0; s < all.segmentCount(); s++) {
      for (int r : all.rows(s)) {
        rows.add(new Row(all.id(s, r), all.vectors(s).readRow(r), all.attributes(s, r)));
      }
    }
    return rows;
  }

  record Ref(Object id, float distance) {}

  static List<Ref> reference(
      List<Row> rows, Metric m, float[] q, String filter, int offset, int k) {
    BoundFilter f = filter == null ? null : Filter.parse(filter).bind(SCHEMA);
    List<Ref> refs = new ArrayList<>();
    for (Row r : rows) {
      if (f == null || f.test(r.attributes())) {
        refs.add(new Ref(r.id(), VectorKernels.get().distance(m, q, r.vector())));
      }
    }
    refs.sort(Comparator.comparingDouble(Ref::distance).thenComparing(r -> (Long) r.id()));
    return refs.subList(Math.min(offset, refs.size()), Math.min(offset + k, refs.size()));
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void equalsBruteForceWithFiltersOffsetsAndBatches(Metric metric) throws Exception {
    checkAgainstBruteForce(metric, DIM, 42 + metric.ordinal());
  }

  /**
   * The same at the dimensions where the SIMD kernels fuse the scan (the query held in eight
   * registers: 128 floats with 512-bit vectors, 64 with 256-bit; {@code VectorKernels.fusesScan}),
   * so that the kernel's in-loop limit against the heap is checked with many ties.
   */
  @ParameterizedTest
  @ValueSource(ints = {64, 128})
  void fusedScanEqualsBruteForce(int dim) throws Exception {
    checkAgainstBruteForce(Metric.L2, dim, 5 + dim);
  }

  private void checkAgainstBruteForce(Metric metric, int dim, long seed) throws Exception {
    Random rnd = new Random(seed);
    EngineOptions opts = Database.defaultOptions().withCompactionMillis(0);
    try (Database db = Database.open(dir.toString(), opts)) {
      Collection c = populate(db, metric, rnd, dim);
      List<Row> rows = liveRows(c.snapshot());
      assertEquals(c.count(), rows.size());
      float[][] queries = new float[7][dim];
      for (float[] q : queries) {
        for (int d = 0; d < dim; d++) {
          q[d] = rnd.nextInt(5) - 2;
        }
      }
      String[] filters = {null, "cat = 'a'", "n < 100 OR n IS NULL", "n = 17", "FALSE"};
      int[][] windows = {{10, 0}, {1, 0}, {25, 7}, {5, 3000}};
      for (String f : filters) {
        for (int[] w : windows) {
          for (int threads : new int[] {1, 4}) {
            Query base = c.query().nearest(queries).limit(w[0]).offset(w[1]).withDistances();
            base = (f == null ? base : base.where(f)).threads(threads);
            QueryResult res = base.execute();
            assertEquals(queries.length, res.queries());
            for (int q = 0; q < queries.length; q++) {
              List<Ref> want = reference(rows, metric, queries[q], f, w[1], w[0]);
              List<Ref> got = res.hits(q).stream().map(h -> new Ref(h.id(), h.distance())).toList();
              assertEquals(want, got, "filter " + f + " window " + w[0] + "+" + w[1]);
              float[][] dist = res.distances();
              long[][] ids = res.ids();
              assertEquals(w[0], ids[q].length);
              for (int i = got.size(); i < w[0]; i++) {
                assertEquals(-1, ids[q][i]);
                assertEquals(Float.POSITIVE_INFINITY, dist[q][i]);
              }
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Metric.class,
      names = {"L2"})
  void neverFewerThanKWhenKMatchAtTinySelectivity(Metric metric) throws Exception {
    Random rnd = new Random(7);
    try (Database db =
        Database.open(dir.toString(), Database.defaultOptions().withCompactionMillis(0))) {
      Collection c = populate(db, metric, rnd);
      List<Row> rows = liveRows(c.snapshot());
      float[] q = rows.get(0).vector();
      for (long n = 0; n < 1000; n += 97) {
        String f = "n = " + n;
        long matching = c.query().where(f).count();
        for (int k : new int[] {1, 2, 3, 10}) {
          QueryResult r = c.query().where(f).nearest(q).limit(k).select("n").execute();
          assertEquals(Math.min(k, matching), r.hits().size(), f + " k=" + k);
          for (Hit h : r.hits()) {
            assertEquals(n, h.attributes().get("n"));
          }
          assertTrue(r.hits().stream().allMatch(h -> Float.isNaN(h.distance())));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Metric.class,
      names = {"COSINE"})
  void returnsVectorsAndReadsOldVersions(Metric metric) throws Exception {
    Random rnd = new Random(3);
    try (Database db =
        Database.open(dir.toString(), Database.defaultOptions().withCompactionMillis(0))) {
      Collection c = populate(db, metric, rnd);
      c.flush();
      long before = c.snapshot().version();
      Row r = c.get(42L).orElseThrow();
      c.delete(Ids.of(42));
      c.flush();
      Hit then =
          c.query()
              .atVersion(before)
              .nearest(r.vector())
              .limit(1)
              .withVectors()
              .execute()
              .hits()
              .get(0);
      assertEquals(42L, then.id());
      assertArrayEquals(r.vector(), then.vector());
      Hit now = c.query().nearest(r.vector()).limit(1).execute().hits().get(0);
      assertTrue(!now.id().equals(42L) || now.distance() != 0, "42 was deleted");
      assertEquals(c.count() + 1, c.query().atVersion(before).count());
    }
  }

  /**
   * One segment longer than a work unit. The rows on both sides of each batch and unit boundary
   * hold a vector far from every other one, and the rows next to them are deleted: a search for
   * that vector must return each boundary row exactly once, so the batched row iteration neither
   * skips nor repeats a row where a batch or a unit ends. (The metrics share that iteration.)
   */
  @ParameterizedTest
  @EnumSource(
      value = Metric.class,
      names = {"L2"})
  void scansAcrossBatchAndUnitBoundaries(Metric metric) throws Exception {
    long seed = 20261125L;
    System.out.println("scansAcrossBatchAndUnitBoundaries seed " + seed);
    Random rnd = new Random(seed);
    int dim = 5;
    int b = ExactSearch.BATCH;
    int u = ExactSearch.UNIT_ROWS;
    int n = u + 2 * b + 3;
    long[] boundary = {b - 1, b, 2L * b - 1, 2L * b, u - 1, u, u + b - 1, u + b, n - 1};
    float[] far = {9, 9, 9, 9, 9};
    try (Database db =
        Database.open(dir.toString(), Database.defaultOptions().withCompactionMillis(0))) {
      Collection c = db.create(CollectionSpec.of("big", dim, metric).withSchema(SCHEMA));
      float[][] v = new float[n][dim];
      long[] ids = new long[n];
      List<Map<String, Object>> attrs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < dim; d++) {
          v[i][d] = rnd.nextInt(9) - 4;
        }
        ids[i] = i;
        attrs.add(Map.of("n", (long) rnd.nextInt(50), "cat", i % 2 == 0 ? "a" : "b"));
      }
      for (long r : boundary) {
        v[(int) r] = far.clone();
      }
      c.add(Rows.of(v).withIds(ids).withAttributes(attrs));
      c.flush();
      c.delete(Ids.of(1, b - 2, b + 1, 2L * b + 1, u - 2, u + 1, u + b + 1, n - 2));
      List<Row> rows = liveRows(c.snapshot());
      assertEquals(n - 8, rows.size());
      float[] random = new float[dim];
      for (int d = 0; d < dim; d++) {
        random[d] = rnd.nextInt(9) - 4;
      }
      for (float[] q : new float[][] {far, random}) {
        for (String f : new String[] {null, "cat = 'b'"}) {
          for (int threads : new int[] {1, 3}) {
            Query query = c.query().nearest(q).limit(12).withDistances().threads(threads);
            QueryResult res = (f == null ? query : query.where(f)).execute();
            List<Ref> got = res.hits().stream().map(h -> new Ref(h.id(), h.distance())).toList();
            assertEquals(reference(rows, metric, q, f, 0, 12), got, "filter " + f + ", " + threads);
            if (q == far) {
              long want = f == null ? boundary.length : 4; // b - 1, 2b - 1, u - 1, u + b - 1
              assertEquals(want, got.stream().filter(h -> h.distance() == 0).count(), f);
            }
          }
        }
      }
    }
  }
}
