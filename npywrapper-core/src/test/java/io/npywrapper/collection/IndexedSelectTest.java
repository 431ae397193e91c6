package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.BoundFilter;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Seeds;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot.select with pruning and per-segment indexes against a brute-force evaluation of the same
 * filter over a model of the live rows (kept by the test, independent of the engine): many
 * segments, a large time-ordered segment spanning several zone-map blocks, nulls, NaN, deletes,
 * upserts and unflushed writes, every attribute type, random AND/OR/NOT trees.
 */
class IndexedSelectTest {
  @TempDir Path dir;

  private static final Schema SCHEMA;
  private static final long T0 = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();

  static {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    m.put("i", AttributeType.INT64);
    m.put("f", AttributeType.FLOAT64);
    m.put("b", AttributeType.BOOL);
    m.put("s", AttributeType.STRING);
    m.put("t", AttributeType.TIMESTAMP);
    m.put("tags", AttributeType.STRING_LIST);
    SCHEMA = Schema.of(m);
  }

  private static final String[] WORDS = {"a", "ab", "b", "ca", "d"};

  @Test
  void indexedSelectEqualsBruteForce() throws Exception {
    for (int n = 0; n < 3; n++) {
      Path root = dir.resolve("s" + n);
      Seeds.run(n, rnd -> run(rnd, root));
    }
  }

  private void run(Random rnd, Path root) throws Exception {
    EngineOptions options = Database.defaultOptions().withCompactionMillis(0);
    try (Database db = Database.open(root.toString(), options)) {
      Collection c = db.create(CollectionSpec.of("ix", 2, Metric.L2).withSchema(SCHEMA));
      Map<Long, Map<String, Object>> model = new TreeMap<>();
      long nextId = 0;
      // One large, time-ordered segment: several zone-map blocks, ranges that cover whole blocks.
      nextId = add(c, model, rnd, nextId, 3 * 4096 + 100, true);
      c.flush();
      for (int round = 0; round < 12; round++) {
        nextId = add(c, model, rnd, nextId, 50 + rnd.nextInt(300), false);
        if (rnd.nextBoolean()) { // upserts
          List<Long> ids = pick(model, rnd, 20);
          if (!ids.isEmpty()) {
            List<Map<String, Object>> attrs = new ArrayList<>();
            for (long id : ids) {
              Map<String, Object> a = row(rnd, id, false);
              attrs.add(a);
              model.put(id, a);
            }
            c.upsert(
                Rows.of(new float[ids.size()][2])
                    .withIds(ids.stream().mapToLong(Long::longValue).toArray())
                    .withAttributes(attrs));
          }
        }
        if (rnd.nextBoolean()) { // deletes
          List<Long> ids = pick(model, rnd, 30);
          if (!ids.isEmpty()) {
            c.delete(Ids.of(ids.stream().mapToLong(Long::longValue).toArray()));
            ids.forEach(model::remove);
          }
        }
        if (rnd.nextInt(3) > 0) {
          c.flush();
        }
        Snapshot snap = c.snapshot();
        for (int q = 0; q < 25; q++) {
          String text = filter(rnd, 3);
          BoundFilter f = Filter.parse(text).bind(SCHEMA);
          TreeSet<Object> expected = new TreeSet<>();
          model.forEach(
              (id, a) -> {
                if (f.test(a)) {
                  expected.add(id);
                }
              });
          Selection s = snap.select(f);
          TreeSet<Object> found = new TreeSet<>();
          for (int seg = 0; seg < s.segmentCount(); seg++) {
            for (int row : s.rows(seg)) {
              found.add(s.id(seg, row));
            }
          }
          s.memRows().forEach(r -> found.add(r.id()));
          if (!expected.equals(found)) {
            TreeSet<Object> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            TreeSet<Object> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            throw new AssertionError(
                "filter "
                    + text
                    + " in round "
                    + round
                    + ": missing ids "
                    + head(missing)
                    + ", unexpected ids "
                    + head(extra));
          }
          assertEquals(expected.size(), s.count(), "count of " + text);
        }
      }
    }
  }

  private static String head(TreeSet<Object> ids) {
    return ids.size() <= 10
        ? ids.toString()
        : ids.stream().limit(10).toList() + " (of " + ids.size() + ")";
  }

  private static List<Long> pick(Map<Long, Map<String, Object>> model, Random rnd, int max) {
    List<Long> all = new ArrayList<>(model.keySet());
    TreeSet<Long> out = new TreeSet<>();
    int n = all.isEmpty() ? 0 : 1 + rnd.nextInt(max);
    for (int k = 0; k < n; k++) {
      out.add(all.get(rnd.nextInt(all.size())));
    }
    return new ArrayList<>(out);
  }

  private static long add(
      Collection c,
      Map<Long, Map<String, Object>> model,
      Random rnd,
      long nextId,
      int n,
      boolean ordered)
      throws Exception {
    long[] ids = new long[n];
    List<Map<String, Object>> attrs = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ids[k] = nextId + k;
      Map<String, Object> a = row(rnd, ids[k], ordered);
      attrs.add(a);
      model.put(ids[k], a);
    }
    c.add(Rows.of(new float[n][2]).withIds(ids).withAttributes(attrs));
    return nextId + n;
  }

  /** Random attributes, about one in eight null; ordered rows have i and t growing with the id. */
  private static Map<String, Object> row(Random rnd, long id, boolean ordered) {
    Map<String, Object> a = new HashMap<>();
    a.put("i", nul(rnd) ? null : ordered ? id / 300 - 20 : (long) rnd.nextInt(41) - 20);
    a.put("f", nul(rnd) ? null : rnd.nextInt(30) == 0 ? Double.NaN : (rnd.nextInt(81) - 40) / 2.0);
    a.put("b", nul(rnd) ? null : rnd.nextBoolean());
    a.put("s", nul(rnd) ? null : WORDS[rnd.nextInt(WORDS.length)]);
    long sec = ordered ? T0 + id * 60 : T0 + rnd.nextInt(13_000) * 60L;
    a.put("t", nul(rnd) ? null : Instant.ofEpochSecond(sec, rnd.nextInt(3) * 1000));
    if (!nul(rnd)) {
      List<String> tags = new ArrayList<>();
      for (int k = rnd.nextInt(4); k > 0; k--) {
        tags.add("x" + rnd.nextInt(5));
      }
      a.put("tags", tags);
    }
    return a;
  }

  private static boolean nul(Random rnd) {
    return rnd.nextInt(8) == 0;
  }

  private static String filter(Random rnd, int depth) {
    if (depth > 0 && rnd.nextInt(3) > 0) {
      return switch (rnd.nextInt(3)) {
        case 0 -> "(" + filter(rnd, depth - 1) + " AND " + filter(rnd, depth - 1) + ")";
        case 1 -> "(" + filter(rnd, depth - 1) + " OR " + filter(rnd, depth - 1) + ")";
        default -> "NOT (" + filter(rnd, depth - 1) + ")";
      };
    }
    String[] ops = {"=", "!=", "<", "<=", ">", ">="};
    String op = ops[rnd.nextInt(ops.length)];
    int k = rnd.nextInt(61) - 30;
    String w = "'" + WORDS[rnd.nextInt(WORDS.length)] + "'";
    String ts = "TIMESTAMP '" + Instant.ofEpochSecond(T0 + rnd.nextInt(14_000) * 60L) + "'";
    String ts2 = "'" + Instant.ofEpochSecond(T0 + rnd.nextInt(14_000) * 60L) + "'";
    String tag = "'x" + rnd.nextInt(6) + "'";
    return switch (rnd.nextInt(22)) {
      case 0 -> "i " + op + " " + k;
      case 1 -> "i IN (" + k + ", " + (k + 3) + ", " + (k * 2) + ")";
      case 2 -> "i BETWEEN " + k + " AND " + (k + rnd.nextInt(20));
      case 3 -> "i IS NULL";
      case 4 -> "f " + op + " " + (k / 2.0);
      case 5 -> "f " + op + " " + k;
      case 6 -> "f NOT BETWEEN " + (k / 2.0) + " AND " + (k / 2.0 + 5);
      case 7 -> "b";
      case 8 -> "b " + (rnd.nextBoolean() ? "=" : "!=") + " FALSE";
      case 9 -> "s " + op + " " + w;
      case 10 -> "s IN (" + w + ", 'zz')";
      case 11 -> "s LIKE '" + (rnd.nextBoolean() ? "a%" : "_a") + "'";
      case 12 -> "s IS NOT NULL";
      case 13 -> "t " + op + " " + ts;
      case 14 -> "t BETWEEN " + ts + " AND " + ts2;
      case 15 -> "t IN (" + ts + ", " + ts2 + ")";
      case 16 -> "contains(tags, " + tag + ")";
      case 17 -> "contains_any(tags, " + tag + ", 'x1')";
      case 18 -> "contains_all(tags, " + tag + ", 'x2')";
      case 19 -> "tags IS NULL";
      case 20 -> rnd.nextBoolean() ? "TRUE" : "FALSE";
      default -> "i NOT IN (" + k + ", " + (k + 1) + ")";
    };
  }
}
