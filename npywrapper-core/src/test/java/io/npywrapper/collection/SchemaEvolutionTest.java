package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Numpy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding attributes to an existing collection: old rows read null, new rows set them, the change
 * survives reopening, concurrent writers rebase, bad input commits nothing, and numpy still loads
 * every segment file.
 */
class SchemaEvolutionTest {
  @TempDir Path dir;

  private static float[][] vectors(int n, int from) {
    float[][] v = new float[n][];
    for (int i = 0; i < n; i++) {
      v[i] = new float[] {from + i, -i};
    }
    return v;
  }

  private static CollectionSpec spec() {
    return CollectionSpec.of("c", 2, Metric.L2)
        .withSchema(Schema.of(Map.of("color", AttributeType.STRING)));
  }

  @Test
  void oldRowsReadNullNewRowsSetTheAttributeAndItSurvivesReopen() throws Exception {
    Path store = dir.resolve("store");
    try (Database db = Database.open(store.toString())) {
      Collection c = db.create(spec());
      c.add(
          Rows.of(vectors(3, 0))
              .withIds(1, 2, 3)
              .withAttributes(List.of(Map.of("color", "red"), Map.of("color", "blue"), Map.of())));
      c.flush();
      c.add(Rows.of(vectors(1, 10)).withIds(4)); // in the memtable during the alter
      Schema s =
          c.addAttributes(
              Map.of("price", AttributeType.FLOAT64, "tags", AttributeType.STRING_LIST));
      assertEquals(AttributeType.FLOAT64, s.type("price"));
      assertEquals("alter_schema", c.versions().getLast().operation());
      assertNull(c.get(1L).orElseThrow().attributes().get("price"));
      assertNull(c.get(4L).orElseThrow().attributes().get("price"));
      c.add(
          Rows.of(vectors(2, 20))
              .withIds(5, 6)
              .withAttributes(
                  List.of(Map.of("price", 2.5, "color", "red"), Map.of("tags", List.of("x")))));
      assertEquals(2.5, c.get(5L).orElseThrow().attributes().get("price"));
      assertEquals(1, c.query().where("price > 1").count());
      assertEquals(5, c.query().where("price IS NULL").count());
      c.flush();
      assertEquals(1, c.query().where("price > 1 AND color = 'red'").count());
      // same type again is a no-op; no attributes, a bad name or a type clash commit nothing
      long before = c.versions().size();
      assertThrows(IllegalArgumentException.class, () -> c.addAttributes(Map.of()));
      IllegalArgumentException clash =
          assertThrows(
              IllegalArgumentException.class,
              () -> c.addAttributes(Map.of("price", AttributeType.INT64)));
      assertTrue(
          clash.getMessage().contains("'price' already exists as float64"), clash.getMessage());
      IllegalArgumentException bad =
          assertThrows(
              IllegalArgumentException.class,
              () -> c.addAttributes(Map.of("1bad", AttributeType.INT64)));
      assertTrue(bad.getMessage().contains("invalid attribute name '1bad'"), bad.getMessage());
      assertEquals(before, c.versions().size());
    }
    try (Database db = Database.open(store.toString())) {
      Collection c = db.collection("c");
      assertEquals(AttributeType.STRING_LIST, c.spec().schema().type("tags"));
      assertEquals(List.of("x"), c.get(6L).orElseThrow().attributes().get("tags"));
      assertNull(c.get(2L).orElseThrow().attributes().get("price"));
      new Compactor(c.engine()).compact();
      assertEquals(2.5, c.get(5L).orElseThrow().attributes().get("price"));
      assertNull(c.get(2L).orElseThrow().attributes().get("price"));
    }
    for (String python : Numpy.pythons()) {
      String out =
          Numpy.run(
              python,
              """
          import glob, json
          import numpy as np
          root = 'store/c/'
          n = 0
          for path in sorted(glob.glob(root + '_manifests/*.json')):
              m = json.load(open(path))
              for seg in m['segments']:
                  for name, ref in seg['files'].items():
                      if name.endswith('.npy'):
                          np.load(root + ref['key'], mmap_mode='r'); n += 1
          print(n)
          """,
              store.getParent());
      assertTrue(Integer.parseInt(out.trim()) > 5, out);
    }
  }

  @Test
  void aWriterThatValidatedAgainstTheOldSchemaStillCommits() throws Exception {
    Path store = dir.resolve("store");
    EngineOptions opts = EngineOptions.defaults();
    try (Database a = Database.open(store.toString(), opts);
        Database b = Database.open(store.toString(), opts)) {
      Collection ca = a.create(spec());
      Collection cb = b.collection("c");
      cb.add(
          Rows.of(vectors(2, 0))
              .withIds(1, 2)
              .withAttributes(List.of(Map.of("color", "red"), Map.of())));
      ca.addAttributes(Map.of("size", AttributeType.INT64));
      cb.flush(); // rebases onto alter_schema, keeps the new schema
      assertEquals(AttributeType.INT64, cb.spec().schema().type("size"));
      // b learns of the attribute when a write names it
      ca.add(Rows.of(vectors(1, 5)).withIds(3).withAttributes(List.of(Map.of("size", 7L))));
      ca.flush();
      cb.refresh();
      ca.addAttributes(Map.of("weight", AttributeType.FLOAT64));
      cb.add(Rows.of(vectors(1, 9)).withIds(4).withAttributes(List.of(Map.of("weight", 1.5))));
      cb.flush();
      ca.refresh();
      assertEquals(1.5, ca.get(4L).orElseThrow().attributes().get("weight"));
      assertEquals(7L, ca.get(3L).orElseThrow().attributes().get("size"));
      assertNull(ca.get(1L).orElseThrow().attributes().get("size"));
      assertEquals("red", ca.get(1L).orElseThrow().attributes().get("color"));
      assertEquals(4, ca.count());
    }
  }

  @Test
  void concurrentAltersOfTheSameNameWithDifferentTypesFailClearly() throws Exception {
    try (Database a = Database.open(dir.resolve("s").toString());
        Database b = Database.open(dir.resolve("s").toString())) {
      Collection ca = a.create(spec());
      Collection cb = b.collection("c");
      ca.addAttributes(Map.of("n", AttributeType.INT64));
      // b has not refreshed: its first check passes, the rebase finds the clash
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> cb.addAttributes(Map.of("n", AttributeType.STRING)));
      assertTrue(e.getMessage().contains("already exists as int64"), e.getMessage());
      cb.refresh();
      assertEquals(AttributeType.INT64, cb.spec().schema().type("n"));
      assertEquals(2, cb.versions().size());
    }
  }
}
