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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionBasicsTest {
  @TempDir Path dir;

  private static float[][] vectors(int n, int dim, float base) {
    float[][] v = new float[n][dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        v[i][j] = base + i * dim + j;
      }
    }
    return v;
  }

  @Test
  void addGetCountAcrossFlushAndReopen() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.create(CollectionSpec.of("docs", 4, Metric.L2));
      c.add(vectors(3, 4, 0), 10, 11, 12);
      assertEquals(3, c.count());
      assertArrayEquals(new float[] {4, 5, 6, 7}, c.get(11L).orElseThrow().vector());
      c.flush();
      assertEquals(3, c.count());
      assertEquals(1, c.snapshot().segmentCount());
      c.add(vectors(2, 4, 100), 13, 14);
      assertEquals(5, c.count());
    }
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.collection("docs");
      assertEquals(5, c.count());
      assertArrayEquals(new float[] {104, 105, 106, 107}, c.get(14L).orElseThrow().vector());
      assertEquals(List.of("docs"), db.list());
    }
  }

  @Test
  void upsertDeleteAndTimeTravel() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.create(CollectionSpec.of("t", 2, Metric.L2));
      c.add(vectors(3, 2, 0), 1, 2, 3);
      c.flush();
      long v1 = c.snapshot().version();
      c.upsert(Rows.of(new float[][] {{9, 9}}).withIds(2));
      assertEquals(3, c.count());
      assertArrayEquals(new float[] {9, 9}, c.get(2L).orElseThrow().vector());
      assertEquals(1, c.delete(Ids.of(1, 99)));
      assertEquals(2, c.count());
      assertFalse(c.get(1L).isPresent());
      c.flush();
      assertEquals(2, c.count());
      assertArrayEquals(new float[] {9, 9}, c.get(2L).orElseThrow().vector());
      Snapshot old = c.atVersion(v1);
      assertEquals(3, old.count());
      assertArrayEquals(new float[] {2, 3}, old.get(2L).orElseThrow().vector());
      assertTrue(c.versions().size() >= 3);
    }
  }

  @Test
  void stringIdsAndAttributes() throws Exception {
    Schema schema =
        Schema.of(Map.of("color", AttributeType.STRING, "price", AttributeType.FLOAT64));
    try (Database db = Database.open(dir.toString())) {
      Collection c =
          db.create(
              CollectionSpec.of("s", 2, Metric.COSINE)
                  .withIdType(IdType.STRING)
                  .withSchema(schema));
      c.add(
          Rows.of(vectors(2, 2, 1))
              .withIds("a", "b")
              .withAttributes(
                  List.of(Map.of("color", "red", "price", 3.5), Map.of("color", "blue"))));
      c.flush();
      Row b = c.get("b").orElseThrow();
      assertEquals("blue", b.attributes().get("color"));
      assertEquals(null, b.attributes().get("price"));
      assertEquals(3.5, c.get("a").orElseThrow().attributes().get("price"));
    }
  }

  @Test
  void badInputIsRejectedAndNothingWritten() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.create(CollectionSpec.of("b", 2, Metric.L2));
      c.add(vectors(1, 2, 0), 1);
      var e1 = assertThrows(IllegalArgumentException.class, () -> c.add(vectors(1, 3, 0), 2));
      assertTrue(
          e1.getMessage().contains("dimension 2, got vectors of dimension 3"), e1.getMessage());
      var e2 =
          assertThrows(
              IllegalArgumentException.class, () -> c.add(new float[][] {{1, Float.NaN}}, 2));
      assertTrue(e2.getMessage().contains("NaN"), e2.getMessage());
      var e3 = assertThrows(IllegalArgumentException.class, () -> c.add(vectors(2, 2, 0), 5, 5));
      assertTrue(e3.getMessage().contains("duplicate id 5"), e3.getMessage());
      var e4 = assertThrows(IllegalArgumentException.class, () -> c.add(vectors(1, 2, 0), 1));
      assertTrue(e4.getMessage().contains("already exists"), e4.getMessage());
      assertEquals(1, c.count());
      assertThrows(java.util.NoSuchElementException.class, () -> db.collection("nope"));
      assertThrows(IllegalArgumentException.class, () -> db.collection("../etc"));
    }
  }

  @Test
  void autoIdsAreConsecutive() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.create(CollectionSpec.of("a", 2, Metric.L2));
      assertEquals(Ids.range(0, 3), c.add(Rows.of(vectors(3, 2, 0))));
      assertEquals(Ids.range(3, 2), c.add(Rows.of(vectors(2, 2, 0))));
      assertEquals(5, c.count());
    }
  }
}
