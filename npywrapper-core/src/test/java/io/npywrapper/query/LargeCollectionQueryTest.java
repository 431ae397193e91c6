package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Compactor;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.Rows;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million rows imported in four segments, then upserts, deletes, a flush and a compaction
 * between rounds of queries, and queries at the older versions: filter-only results (ordered by id
 * and by time, with paging), {@code count()} and {@code nearest} with a filter, each checked
 * against a brute-force model of the rows that the test keeps alongside. Counts and filter-only
 * results are compared in full; nearest on a few query vectors per filter.
 */
class LargeCollectionQueryTest {
  private static final int N = 1_000_000;
  private static final int DIM = 4;
  private static final int EXTRA = 2_000; // ids N .. N+EXTRA-1 are added later
  private static final int CAP = N + EXTRA;
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Schema SCHEMA;

  static {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    m.put("t", AttributeType.TIMESTAMP);
    m.put("n", AttributeType.INT64);
    m.put("color", AttributeType.STRING);
    SCHEMA = Schema.of(m);
  }

  @TempDir Path dir;

  /** The rows as the test believes they are; {@code color} -1 is null. */
  private static final class Model {
    final boolean[] live = new boolean[CAP];
    final long[] t = new long[CAP]; // seconds after T0
    final int[] n = new int[CAP];
    final int[] color = new int[CAP];
    final float[] vec = new float[CAP * DIM];

    Model copy() {
      Model m = new Model();
      System.arraycopy(live, 0, m.live, 0, CAP);
      System.arraycopy(t, 0, m.t, 0, CAP);
      System.arraycopy(n, 0, m.n, 0, CAP);
      System.arraycopy(color, 0, m.color, 0, CAP);
      System.arraycopy(vec, 0, m.vec, 0, vec.length);
      return m;
    }

    void set(int id, long seconds, int nv, int c, SplittableRandom rnd) {
      live[id] = true;
      t[id] = seconds;
      n[id] = nv;
      color[id] = c;
      for (int d = 0; d < DIM; d++) {
        vec[id * DIM + d] = rnd.nextInt(1 << 20) / (float) (1 << 20);
      }
    }

    float[] vector(int id) {
      return Arrays.copyOfRange(vec, id * DIM, id * DIM + DIM);
    }

    Map<String, Object> attributes(int id) {
      Map<String, Object> a = new HashMap<>();
      a.put("t", T0.plusSeconds(t[id]));
      a.put("n", (long) n[id]);
      if (color[id] >= 0) {
        a.put("color", "c" + color[id]);
      }
      return a;
    }
  }

  /** A filter as text and as the model's predicate over a model (SQL null semantics by hand). */
  private record Case(String text, java.util.function.Function<Model, IntPredicate> predicate) {}

  private static List<Case> cases() {
    Instant recent = T0.plusSeconds(N - N / 100);
    Instant early = T0.plusSeconds(3_000);
    return List.of(
        new Case("color = 'c7'", m -> id -> m.color[id] == 7),
        new Case("n < 10", m -> id -> m.n[id] < 10),
        new Case("t >= TIMESTAMP '" + recent + "'", m -> id -> m.t[id] >= N - N / 100),
        new Case(
            "n BETWEEN 100 AND 119 AND NOT color IN ('c1', 'c2')",
            m ->
                id ->
                    m.n[id] >= 100
                        && m.n[id] <= 119
                        && m.color[id] >= 0
                        && m.color[id] != 1
                        && m.color[id] != 2),
        new Case(
            "color IS NULL OR t < TIMESTAMP '" + early + "'",
            m -> id -> m.color[id] < 0 || m.t[id] < 3_000),
        new Case(
            "color <> 'c3' AND n >= 995",
            m -> id -> m.color[id] >= 0 && m.color[id] != 3 && m.n[id] >= 995));
  }

  @Test
  void queriesMatchBruteForceThroughUpdatesDeletesCompactionAndOldVersions() throws Exception {
    long start = System.nanoTime();
    SplittableRandom rnd = new SplittableRandom(20261125);
    Model model = new Model();
    List<Map<String, Object>> attrs = new ArrayList<>(N);
    for (int id = 0; id < N; id++) {
      model.set(id, id, rnd.nextInt(1000), id % 97 == 0 ? -1 : rnd.nextInt(50), rnd);
      attrs.add(model.attributes(id));
    }
    Path vectors = dir.resolve("v.npy");
    NpyWriter.write(
        vectors, Arrays.copyOf(model.vec, N * DIM), new long[] {N, DIM}, WriteOptions.DEFAULT);
    try (Database db =
        Database.open(
            dir.resolve("store").toString(),
            Database.defaultOptions()
                .withCompactionMillis(0)
                .withSegmentRows(250_000)
                .withIndex(
                    io.npywrapper.collection.IndexOptions.defaults().withBackground(false)))) {
      Collection c = db.create(CollectionSpec.of("big", DIM, Metric.L2).withSchema(SCHEMA));
      Importer.Result r = new Importer(c.engine()).importNpy(vectors, null, attrs, n -> {});
      attrs = null;
      assertEquals(N, r.rows());
      assertEquals(4, r.segments());
      assertEquals(0, r.firstId());
      long v1 = r.version();
      Model m1 = model.copy();
      check(c, model, -1, rnd);

      // Upserts over two segments (new vectors, attributes, later times), new rows, and deletes
      // that make the first segment delete-heavy; queried before the flush (write-ahead log).
      int[] upserted = rnd.ints(5_000, 200_000, 600_000).distinct().toArray();
      float[][] uv = new float[upserted.length][];
      List<Map<String, Object>> ua = new ArrayList<>();
      long[] uids = new long[upserted.length];
      for (int i = 0; i < upserted.length; i++) {
        int id = upserted[i];
        model.set(id, N + i, rnd.nextInt(1000), rnd.nextInt(50), rnd);
        uv[i] = model.vector(id);
        ua.add(model.attributes(id));
        uids[i] = id;
      }
      c.upsert(Rows.of(uv).withIds(uids).withAttributes(ua));
      add(c, model, N, EXTRA / 2, N + 10_000, rnd);
      long[] deleted = new long[60_000];
      for (int i = 0; i < deleted.length; i++) {
        deleted[i] = 2L * i + 1; // odd ids of the first 120,000
        model.live[(int) deleted[i]] = false;
      }
      assertEquals(deleted.length, c.delete(Ids.of(deleted)));
      check(c, model, -1, rnd);

      c.flush();
      long v2 = c.snapshot().version();
      Model m2 = model.copy();
      check(c, model, -1, rnd);

      Compactor.Result cr = new Compactor(c.engine()).compact();
      assertTrue(cr.inputSegments() >= 2, "compaction merged " + cr);
      // The first segment (ids below 250,000) loses its deleted rows and the old versions of the
      // rows upserted from it.
      long replaced = Arrays.stream(upserted).filter(id -> id < 250_000).count();
      assertEquals(deleted.length + replaced, cr.rowsDropped(), "rows dropped by " + cr);
      check(c, model, -1, rnd);

      // More writes after the compaction, then every version again.
      add(c, model, N + EXTRA / 2, EXTRA / 2, N + 20_000, rnd);
      long[] gone = rnd.longs(3_000, 600_000, N).distinct().toArray();
      long expected = 0;
      for (long id : gone) {
        expected += model.live[(int) id] ? 1 : 0;
        model.live[(int) id] = false;
      }
      assertEquals(expected, c.delete(Ids.of(gone)));
      c.flush();
      check(c, model, -1, rnd);
      check(c, m2, v2, rnd);
      check(c, m1, v1, rnd);
      assertEquals(N, c.query().atVersion(v1).count());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("LargeCollectionQueryTest: %.1f s%n", seconds);
  }

  private static void add(
      Collection c, Model model, int from, int count, long t, SplittableRandom rnd)
      throws Exception {
    float[][] v = new float[count][];
    List<Map<String, Object>> a = new ArrayList<>();
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      int id = from + i;
      model.set(id, t + i, rnd.nextInt(1000), i % 97 == 0 ? -1 : rnd.nextInt(50), rnd);
      v[i] = model.vector(id);
      a.add(model.attributes(id));
      ids[i] = id;
    }
    c.add(Rows.of(v).withIds(ids).withAttributes(a));
  }

  /** Every case against the model, at {@code version} (or the current state when negative). */
  private static void check(Collection c, Model m, long version, SplittableRandom rnd)
      throws Exception {
    long liveRows = 0;
    for (int id = 0; id < CAP; id++) {
      liveRows += m.live[id] ? 1 : 0;
    }
    assertEquals(liveRows, at(c.query(), version).count(), "rows at version " + version);
    for (Case cs : cases()) {
      IntPredicate p = cs.predicate().apply(m);
      String what = cs.text() + " at version " + version;
      int[] expected = new int[CAP];
      int matches = 0;
      for (int id = 0; id < CAP; id++) {
        if (m.live[id] && p.test(id)) {
          expected[matches++] = id;
        }
      }
      expected = Arrays.copyOf(expected, matches);
      assertTrue(matches > 0, "the case selects something: " + what);
      Query q = at(c.query(), version).where(cs.text());
      assertEquals(matches, q.count(), "count of " + what);

      // Filter-only, by id: every match, with the attributes; then one page.
      QueryResult all = q.limit(matches).select("n", "color").execute();
      List<Hit> hits = all.hits();
      assertEquals(matches, hits.size(), what);
      for (int i = 0; i < matches; i++) {
        Hit h = hits.get(i);
        int id = expected[i];
        assertEquals((long) id, h.id(), what + " row " + i);
        assertEquals((long) m.n[id], h.attributes().get("n"), what + " n of " + id);
        assertEquals(
            m.color[id] < 0 ? null : "c" + m.color[id],
            h.attributes().get("color"),
            what + " color of " + id);
      }
      int offset = matches / 3;
      int limit = Math.min(50, matches - offset);
      long[] page = q.offset(offset).limit(limit).execute().ids()[0];
      long[] want = new long[limit];
      for (int i = 0; i < limit; i++) {
        want[i] = expected[offset + i];
      }
      assertArrayEquals(want, page, "page of " + what);

      // Filter-only, newest first by t (ties by id; t is unique here).
      Integer[] byTime = Arrays.stream(expected).boxed().toArray(Integer[]::new);
      Arrays.sort(byTime, (a, b) -> m.t[a] != m.t[b] ? Long.compare(m.t[b], m.t[a]) : a - b);
      int top = Math.min(100, matches);
      long[] newest = q.orderBy("t", Query.Order.DESC).limit(top).execute().ids()[0];
      for (int i = 0; i < top; i++) {
        assertEquals((long) byTime[i], newest[i], what + " newest #" + i);
      }

      // Nearest with the filter: the k returned rows match, and their distances are the k
      // smallest of the brute force (robust to ties between equal distances).
      for (int trial = 0; trial < 2; trial++) {
        float[] qv = new float[DIM];
        for (int d = 0; d < DIM; d++) {
          qv[d] = rnd.nextInt(1 << 20) / (float) (1 << 20);
        }
        int k = Math.min(10, matches);
        float[] dist = new float[matches];
        for (int i = 0; i < matches; i++) {
          dist[i] = Metric.L2.distance(qv, m.vector(expected[i]));
        }
        Arrays.sort(dist);
        List<Hit> near = q.nearest(qv).limit(k).withDistances().execute().hits();
        assertEquals(k, near.size(), "nearest of " + what);
        for (int i = 0; i < k; i++) {
          int id = (int) (long) (Long) near.get(i).id();
          assertTrue(m.live[id] && p.test(id), what + ": hit " + id + " matches");
          float d = Metric.L2.distance(qv, m.vector(id));
          assertEquals(dist[i], d, 1e-5f, what + " nearest #" + i + " (id " + id + ")");
          assertEquals(d, near.get(i).distance(), 1e-5f, what + " distance of " + id);
        }
      }
    }
  }

  private static Query at(Query q, long version) {
    return version < 0 ? q : q.atVersion(version);
  }
}
