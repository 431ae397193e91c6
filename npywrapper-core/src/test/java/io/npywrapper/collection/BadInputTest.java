package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the public API: each call fails with an error that names the problem, and
 * nothing is written: every file under the store (manifests, segments, write-ahead logs) keeps its
 * size and no version appears.
 */
class BadInputTest {
  private static final Schema SCHEMA =
      Schema.of(
          Map.of(
              "color", AttributeType.STRING,
              "n", AttributeType.INT64,
              "price", AttributeType.FLOAT64,
              "ok", AttributeType.BOOL));

  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void setUp() {
    root = dir.resolve("store");
  }

  /** Every file under the store with its size. */
  private Map<String, Long> files() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.size(p));
      }
    }
    return out;
  }

  /**
   * Runs {@code call}, expects {@code type} with a message holding every one of {@code words}, and
   * checks that the store did not change.
   */
  private <T extends Throwable> T rejected(Class<T> type, Executable call, String... words)
      throws IOException {
    Map<String, Long> before = files();
    T e = assertThrows(type, call);
    for (String w : words) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains(w),
          "message should contain '" + w + "': " + e.getMessage());
    }
    assertEquals(before, files(), "rejected call changed the store: " + e.getMessage());
    return e;
  }

  private static float[][] vectors(int n, int dim) {
    float[][] v = new float[n][dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        v[i][j] = i + j / 10f;
      }
    }
    return v;
  }

  /** A collection holding rows 1 and 2, one of them flushed, with a log in use. */
  private Collection seeded(Database db, CollectionSpec spec) throws IOException {
    Collection c = db.create(spec);
    if (spec.idType() == IdType.INT64) {
      c.add(vectors(1, spec.dim()), 1);
      c.flush();
      c.add(vectors(1, spec.dim()), 2);
    } else {
      c.add(Rows.of(vectors(1, spec.dim())).withIds("a"));
      c.flush();
      c.add(Rows.of(vectors(1, spec.dim())).withIds("b"));
    }
    return c;
  }

  @Test
  void wrongDimensionIsRejected() throws Exception {
    try (Database db = Database.open(root)) {
      Collection c = seeded(db, CollectionSpec.of("dims", 4, Metric.L2));
      String[] words = {"'dims' has dimension 4", "dimension 3"};
      rejected(IllegalArgumentException.class, () -> c.add(vectors(2, 3), 5, 6), words);
      rejected(IllegalArgumentException.class, () -> c.add(Rows.of(vectors(2, 3))), words);
      rejected(
          IllegalArgumentException.class, () -> c.upsert(Rows.of(vectors(1, 3)).withIds(1)), words);
      rejected(
          IllegalArgumentException.class,
          () -> c.add(new float[][] {{1, 2, 3, 4}, {1, 2, 3}}, 7, 8),
          "vector 1 has 3 values");
      assertEquals(2, c.count());
    }
  }

  @Test
  void nonFiniteValuesAreRejectedUnlessAllowed() throws Exception {
    try (Database db = Database.open(root)) {
      Collection c = seeded(db, CollectionSpec.of("finite", 3, Metric.L2));
      float[][] cases = {
        {1, Float.NaN, 0}, {Float.POSITIVE_INFINITY, 0, 0}, {0, 0, Float.NEGATIVE_INFINITY}
      };
      for (float[] v : cases) {
        int at = 0;
        while (Float.isFinite(v[at])) {
          at++;
        }
        String value = Float.toString(v[at]);
        float[][] rows = {{1, 2, 3}, v};
        rejected(
            IllegalArgumentException.class,
            () -> c.add(rows, 10, 11),
            "vector 1 has " + value + " at position " + at,
            "allow_non_finite");
        rejected(
            IllegalArgumentException.class,
            () -> c.add(Rows.of(rows)),
            "vector 1 has " + value + " at position " + at);
        rejected(
            IllegalArgumentException.class,
            () -> c.upsert(Rows.of(rows).withIds(1, 2)),
            "vector 1 has " + value);
      }
      assertEquals(2, c.count());

      Collection any =
          db.create(CollectionSpec.of("anyvalue", 3, Metric.L2).withAllowNonFinite(true));
      any.add(cases, 1, 2, 3);
      any.flush();
      any.add(new float[][] {{Float.NaN, Float.NaN, Float.NaN}}, 4);
    }
    try (Database db = Database.open(root)) {
      Collection any = db.collection("anyvalue");
      assertTrue(any.spec().allowNonFinite());
      assertEquals(4, any.count());
      assertTrue(Float.isNaN(any.get(1L).orElseThrow().vector()[1]));
      assertEquals(Float.POSITIVE_INFINITY, any.get(2L).orElseThrow().vector()[0]);
      assertEquals(Float.NEGATIVE_INFINITY, any.get(3L).orElseThrow().vector()[2]);
      assertTrue(Float.isNaN(any.get(4L).orElseThrow().vector()[2]));
    }
  }

  @Test
  void duplicateIdsInOneBatchAreRejected() throws Exception {
    try (Database db = Database.open(root)) {
      Collection c = seeded(db, CollectionSpec.of("dups", 2, Metric.L2));
      rejected(
          IllegalArgumentException.class,
          () -> c.add(vectors(3, 2), 5, 6, 5),
          "duplicate id 5 at positions 0 and 2");
      rejected(
          IllegalArgumentException.class,
          () -> c.upsert(Rows.of(vectors(2, 2)).withIds(1, 1)),
          "duplicate id 1 at positions 0 and 1");
      rejected(
          IllegalArgumentException.class,
          () -> c.add(vectors(1, 2), 1),
          "id 1 at position 0 already exists");
      rejected(
          IllegalArgumentException.class,
          () -> c.add(vectors(1, 2), 2),
          "id 2 at position 0 already exists");
      Collection s = seeded(db, CollectionSpec.of("sdups", 2, Metric.L2).withIdType(IdType.STRING));
      rejected(
          IllegalArgumentException.class,
          () -> s.add(Rows.of(vectors(2, 2)).withIds("x", "x")),
          "duplicate id x");
      rejected(
          IllegalArgumentException.class,
          () -> s.upsert(Rows.of(vectors(2, 2)).withIds("a", "a")),
          "duplicate id a");
      assertEquals(2, c.count());
      assertEquals(2, s.count());
    }
  }

  @Test
  void idTypeMismatchIsRejected() throws Exception {
    try (Database db = Database.open(root)) {
      Collection ints = seeded(db, CollectionSpec.of("ints", 2, Metric.L2));
      Collection strs =
          seeded(db, CollectionSpec.of("strs", 2, Metric.L2).withIdType(IdType.STRING));
      String[] wantInt = {"int64 ids", "got string ids"};
      String[] wantStr = {"string ids", "got int64 ids"};
      rejected(
          IllegalArgumentException.class,
          () -> ints.add(Rows.of(vectors(1, 2)).withIds("x")),
          wantInt);
      rejected(
          IllegalArgumentException.class,
          () -> ints.upsert(Rows.of(vectors(1, 2)).withIds("x")),
          wantInt);
      rejected(IllegalArgumentException.class, () -> ints.delete(Ids.of("x")), wantInt);
      rejected(IllegalArgumentException.class, () -> ints.get(Ids.of("x")), wantInt);
      rejected(IllegalArgumentException.class, () -> ints.get("x"), "int64 ids", "String x");
      rejected(IllegalArgumentException.class, () -> ints.get(1.5), "int64 ids", "Double 1.5");
      rejected(IllegalArgumentException.class, () -> strs.add(vectors(1, 2), 7), wantStr);
      rejected(IllegalArgumentException.class, () -> strs.delete(Ids.of(1)), wantStr);
      rejected(IllegalArgumentException.class, () -> strs.get(1L), "string ids", "Long 1");
      rejected(
          IllegalArgumentException.class,
          () -> strs.add(Rows.of(vectors(1, 2))),
          "'strs' has string ids",
          "give ids");
      rejected(
          IllegalArgumentException.class,
          () -> strs.upsert(Rows.of(vectors(1, 2))),
          "upsert needs ids");
      rejected(
          IllegalArgumentException.class,
          () -> strs.add(Rows.of(vectors(1, 2)).withIds("")),
          "string ids must be 1 to");
      assertEquals(2, ints.count());
      assertEquals(2, strs.count());
    }
  }

  @Test
  void unknownOrMistypedAttributesAreRejected() throws Exception {
    try (Database db = Database.open(root)) {
      Collection c = seeded(db, CollectionSpec.of("attrs", 2, Metric.L2).withSchema(SCHEMA));
      Map<String, Object> good = Map.of("color", "red", "n", 3, "price", 2.5, "ok", true);
      Map<String, Object> unknown = new HashMap<>(good);
      unknown.put("size", 3);
      rejected(
          IllegalArgumentException.class,
          () -> c.add(Rows.of(vectors(2, 2)).withIds(5, 6).withAttributes(List.of(good, unknown))),
          "row 1: unknown attribute 'size'",
          "the schema has");
      Object[][] mistyped = {
        {"color", 5L, "expected string, got Long 5"},
        {"n", 2.5, "expected int64, got Double 2.5"},
        {"n", "3", "expected int64, got String 3"},
        {"price", "cheap", "expected float64, got String cheap"},
        {"ok", "yes", "expected bool, got String yes"},
        {"ok", 1, "expected bool, got Integer 1"}
      };
      for (Object[] m : mistyped) {
        Map<String, Object> bad = new HashMap<>(good);
        bad.put((String) m[0], m[1]);
        rejected(
            IllegalArgumentException.class,
            () -> c.add(Rows.of(vectors(2, 2)).withAttributes(List.of(good, bad))),
            "row 1, attribute '" + m[0] + "'",
            (String) m[2]);
        rejected(
            IllegalArgumentException.class,
            () -> c.upsert(Rows.of(vectors(2, 2)).withIds(1, 2).withAttributes(List.of(bad, good))),
            "row 0, attribute '" + m[0] + "'",
            (String) m[2]);
      }
      assertEquals(2, c.count());
    }
  }

  @Test
  void unknownCollectionIsAnErrorNamingItAndCreatesNothing() throws Exception {
    try (Database db = Database.open(root)) {
      seeded(db, CollectionSpec.of("known", 2, Metric.L2));
      rejected(NoSuchElementException.class, () -> db.collection("nope"), "no collection 'nope'");
      Map<String, Long> before = files();
      assertFalse(db.exists("nope"));
      assertFalse(db.drop("nope"));
      assertEquals(List.of("known"), db.list());
      assertEquals(before, files());
      rejected(
          IllegalStateException.class,
          () -> db.create(CollectionSpec.of("known", 2, Metric.L2)),
          "collection 'known' already exists");
    }
  }

  @Test
  void invalidCollectionNamesAreRejectedEverywhere() throws Exception {
    String[] names = {
      "../x",
      "a/b",
      ".",
      "..",
      "",
      "x".repeat(65),
      "a\\b",
      "_a",
      "-a",
      " a",
      "a b",
      "a.b",
      "npyw.json",
      "a\u0000",
      "é",
      null
    };
    try (Database db = Database.open(root)) {
      seeded(db, CollectionSpec.of("ok", 2, Metric.L2));
      for (String name : names) {
        String shown = "invalid collection name '" + name + "'";
        rejected(
            IllegalArgumentException.class, () -> CollectionSpec.of(name, 2, Metric.L2), shown);
        rejected(IllegalArgumentException.class, () -> db.collection(name), shown);
        rejected(IllegalArgumentException.class, () -> db.exists(name), shown);
        rejected(IllegalArgumentException.class, () -> db.drop(name), shown);
      }
      Collection longest = db.create(CollectionSpec.of("x".repeat(64), 2, Metric.L2));
      longest.add(vectors(1, 2), 1);
      assertEquals(List.of("ok", "x".repeat(64)), db.list());
    }
  }

  @Test
  void emptyWritesWriteNothing() throws Exception {
    try (Database db = Database.open(root)) {
      Collection c = seeded(db, CollectionSpec.of("empty", 2, Metric.L2));
      long versions = c.versions().size();
      Map<String, Long> before = files();
      assertEquals(0, c.add(Rows.of(new float[0][])).size());
      assertEquals(0, c.add(new float[0][], new long[0]).size());
      assertEquals(0, c.upsert(Rows.of(new float[0][]).withIds(new long[0])).size());
      assertEquals(0, c.delete(Ids.of(new long[0])));
      assertEquals(0, c.delete(Ids.of(99)));
      assertEquals(before, files());
      assertEquals(versions, c.versions().size());
      assertEquals(2, c.count());
      assertArrayEquals(new float[] {0, 0.1f}, c.get(2L).orElseThrow().vector());
    }
  }

  @Test
  void rejectedWritesLeaveTheCollectionUsable() throws Exception {
    try (Database db = Database.open(root)) {
      Collection c = seeded(db, CollectionSpec.of("after", 2, Metric.L2));
      assertThrows(IllegalArgumentException.class, () -> c.add(Rows.of(vectors(2, 3))));
      assertThrows(IllegalArgumentException.class, () -> c.add(vectors(2, 2), 4, 4));
      assertEquals(
          Ids.range(3, 2),
          c.add(Rows.of(new float[][] {{7, 7}, {8, 8}})),
          "auto ids must follow the unflushed id 2 and waste none on rejected writes");
      assertArrayEquals(new float[] {0, 0.1f}, c.get(2L).orElseThrow().vector(), "row 2 replaced");
      c.flush();
      assertEquals(4, c.count());
    }
    try (Database db = Database.open(root)) {
      Collection c = db.collection("after");
      assertEquals(4, c.count());
      assertEquals(
          List.of(1L, 2L, 3L, 4L),
          c.get(Ids.of(1, 2, 3, 4)).stream().map(Row::id).toList(),
          Arrays.toString(c.versions().toArray()));
    }
  }
}
