package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.filter.FilterException;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.search.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key/value properties of collections and segments: stored in the manifest, kept across commits and
 * reopening, queryable with the filter language (a missing key is NULL), bad input commits nothing.
 */
class PropertiesTest {
  @TempDir Path dir;

  private static float[][] vectors(int n) {
    float[][] v = new float[n][];
    for (int i = 0; i < n; i++) {
      v[i] = new float[] {i, 1};
    }
    return v;
  }

  @Test
  void collectionPropertiesAreSetRemovedAndQueried() throws Exception {
    Path store = dir.resolve("store");
    try (Database db = Database.open(store.toString())) {
      Collection a = db.create(CollectionSpec.of("a", 2, Metric.L2), Map.of("team", "search"));
      Collection b = db.create(CollectionSpec.of("b", 2, Metric.L2));
      db.create(CollectionSpec.of("c", 2, Metric.L2), Map.of("team", "ads", "tier", "gold"));
      assertEquals(Map.of("team", "search"), a.properties());
      b.setProperties(Map.of("team", "search", "owner", "ann"));
      a.setProperties(Map.of("owner", "bob"));
      assertEquals(Map.of("team", "search", "owner", "bob"), a.properties());
      assertEquals("set_properties", a.versions().getLast().operation());
      assertEquals(List.of("a", "b"), db.collections("team = 'search'"));
      assertEquals(List.of("c"), db.collections("tier IS NOT NULL AND team <> 'search'"));
      assertEquals(List.of("c"), db.collections("owner IS NULL"));
      assertEquals(List.of(), db.collections("nobody = 'x'")); // unknown key: NULL, no error
      assertEquals(List.of("a"), db.collections("owner LIKE 'b%' OR tier IN ('silver')"));
      b.removeProperties(List.of("owner", "absent"));
      assertEquals(Map.of("team", "search"), b.properties());
      a.add(vectors(2), 1, 2);
      a.setProperties(Map.of("team", "core")); // flushes the memtable first
      assertEquals(2, a.count());
    }
    try (Database db = Database.open(store.toString())) {
      assertEquals(Map.of("team", "core", "owner", "bob"), db.collection("a").properties());
      assertEquals(List.of("b"), db.collections("team = 'search'"));
      String manifest = Files.readString(newestManifest(store.resolve("a")));
      assertTrue(manifest.contains("\"owner\" : \"bob\""), manifest);
    }
  }

  @Test
  void badInputIsAClearErrorAndCommitsNothing() throws Exception {
    try (Database db = Database.open(dir.resolve("s").toString())) {
      Collection c = db.create(CollectionSpec.of("c", 2, Metric.L2));
      c.add(vectors(1), 1);
      c.flush();
      int versions = c.versions().size();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> c.setProperties(Map.of("a-b", "x")));
      assertTrue(e.getMessage().contains("invalid property key 'a-b'"), e.getMessage());
      FilterException f = assertThrows(FilterException.class, () -> c.segments("team = "));
      assertTrue(
          f.getMessage().contains("position") || f.getMessage().contains("column"), f.getMessage());
      assertThrows(FilterException.class, () -> db.collections("team = 'x' AND"));
      IllegalArgumentException type =
          assertThrows(IllegalArgumentException.class, () -> db.collections("team > 5"));
      assertTrue(type.getMessage().contains("team"), type.getMessage());
      String seg = c.segments().getFirst().id();
      assertThrows(
          NoSuchElementException.class, () -> c.setSegmentProperties("seg-nope", Map.of("k", "v")));
      assertThrows(
          IllegalArgumentException.class, () -> c.setSegmentProperties(seg, Map.of("", "v")));
      assertEquals(versions, c.versions().size());
    }
  }

  @Test
  void segmentPropertiesFromImportAndSetAreQueryableAndSurviveDeletes() throws Exception {
    Path store = dir.resolve("store");
    Path npy = dir.resolve("v.npy");
    NpyWriter.write(npy, vectors(5), io.npywrapper.npy.WriteOptions.DEFAULT);
    String first;
    try (Database db = Database.open(store.toString())) {
      Collection c = db.create(CollectionSpec.of("c", 2, Metric.L2));
      new Importer(c.engine())
          .importNpy(npy, null, null, Map.of("source", "v.npy", "batch", "1"), n -> {});
      new Importer(c.engine())
          .importNpy(npy, null, null, Map.of("source", "w.npy", "batch", "2"), n -> {});
      c.add(vectors(1), 100);
      c.flush();
      List<SegmentInfo> all = c.segments();
      assertEquals(3, all.size());
      first = all.getFirst().id();
      assertEquals(Map.of("source", "v.npy", "batch", "1"), all.getFirst().properties());
      assertEquals(List.of(first), ids(c.segments("source = 'v.npy'")));
      assertEquals(2, c.segments("source LIKE '%.npy'").size());
      assertEquals(List.of(all.get(2).id()), ids(c.segments("source IS NULL")));
      c.setSegmentProperties(all.get(2).id(), Map.of("source", "live"));
      c.delete(io.npywrapper.collection.Ids.of(0L, 1L)); // a deletion file keeps the properties
      c.flush();
      SegmentInfo s = c.segments("source = 'v.npy'").getFirst();
      assertEquals(3, s.liveRows());
      assertEquals(5, s.rows());
      c.removeSegmentProperties(first, List.of("batch"));
    }
    try (Database db = Database.open(store.toString())) {
      Collection c = db.collection("c");
      assertEquals(
          Map.of("source", "v.npy"), c.segments("source = 'v.npy'").getFirst().properties());
      assertEquals(1, c.segments("source = 'live'").size());
    }
  }

  @Test
  void compactionKeepsThePropertiesAllInputsShare() throws Exception {
    try (Database db = Database.open(dir.resolve("s").toString())) {
      Collection c = db.create(CollectionSpec.of("c", 2, Metric.L2));
      c.add(vectors(2), 1, 2);
      c.flush();
      c.add(vectors(2), 3, 4);
      c.flush();
      List<SegmentInfo> segs = c.segments();
      c.setSegmentProperties(segs.get(0).id(), Map.of("team", "a", "day", "mon"));
      c.setSegmentProperties(segs.get(1).id(), Map.of("team", "a", "day", "tue"));
      new Compactor(c.engine()).compact();
      List<SegmentInfo> after = c.segments();
      assertEquals(1, after.size());
      assertEquals(Map.of("team", "a"), after.getFirst().properties());
      assertEquals(4, c.count());
    }
  }

  private static List<String> ids(List<SegmentInfo> s) {
    return s.stream().map(SegmentInfo::id).toList();
  }

  private static Path newestManifest(Path coll) throws Exception {
    try (var files = Files.list(coll.resolve("_manifests"))) {
      return files.sorted().toList().getLast();
    }
  }
}
