package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.meta.index.SegmentStats;
import io.npywrapper.search.Metric;
import io.npywrapper.store.FaultyBlobStore;
import io.npywrapper.store.LocalBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments ruled out by the manifest's statistics are skipped without fetching any of their files:
 * every file of a pruned segment is a tripwire in a {@link FaultyBlobStore} (any access fails), and
 * the bytes read stay below one segment's size.
 */
class PruningTest {
  @TempDir Path dir;

  private static final Schema SCHEMA;
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final int SEGMENTS = 10;
  private static final int ROWS = 1000;

  static {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    m.put("t", AttributeType.TIMESTAMP);
    m.put("n", AttributeType.INT64);
    m.put("color", AttributeType.STRING);
    SCHEMA = Schema.of(m);
  }

  @Test
  void prunedSegmentsAreNeverFetched() throws Exception {
    Path storeDir = dir.resolve("store");
    EngineOptions writer =
        Database.defaultOptions().withCompactionMillis(0).withWalRoot(dir.resolve("w1"));
    try (Database db = Database.open(storeDir.toString(), writer)) {
      Collection c = db.create(CollectionSpec.of("events", 2, Metric.L2).withSchema(SCHEMA));
      for (int s = 0; s < SEGMENTS; s++) {
        long[] ids = new long[ROWS];
        List<Map<String, Object>> attrs = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
          ids[i] = (long) s * ROWS + i;
          Map<String, Object> a = new HashMap<>();
          a.put("t", T0.plusSeconds(60 * ids[i]));
          a.put("n", ids[i]);
          a.put("color", s % 2 == 0 ? "red" : "blue");
          attrs.add(a);
        }
        c.add(Rows.of(new float[ROWS][2]).withIds(ids).withAttributes(attrs));
        c.flush();
      }
    }
    FaultyBlobStore store = new FaultyBlobStore(LocalBlobStore.open(storeDir));
    EngineOptions reader =
        Database.defaultOptions().withCompactionMillis(0).withWalRoot(dir.resolve("w2"));
    try (Database db = Database.open(store, reader)) {
      Snapshot snap = db.collection("events").snapshot();
      List<SegmentRef> segs = snap.manifest().segments();
      assertEquals(SEGMENTS, segs.size());
      long segmentBytes = 0;
      for (SegmentRef ref : segs) {
        assertNotNull(ref.stats(), "segment " + ref.id() + " has statistics");
        assertTrue(ref.files().containsKey(SegmentStats.FILE));
        segmentBytes =
            Math.max(segmentBytes, ref.files().values().stream().mapToLong(FileRef::size).sum());
      }
      for (int s = 0; s < SEGMENTS - 1; s++) {
        String prefix = "events/segments/" + segs.get(s).id() + "/";
        for (FaultyBlobStore.Op op : FaultyBlobStore.Op.values()) {
          store.failNext(op, FaultyBlobStore.FOREVER, key -> key.startsWith(prefix));
        }
      }
      long before = store.bytesRead();
      // The newest 300 minutes: only the last segment can match.
      Instant from = T0.plusSeconds(60L * (SEGMENTS * ROWS - 300));
      Selection sel = snap.select(Filter.parse("t >= TIMESTAMP '" + from + "'").bind(SCHEMA));
      assertEquals(300, sel.count());
      for (int s = 0; s < SEGMENTS - 1; s++) {
        assertEquals(0, sel.rows(s).getCardinality());
      }
      Selection both =
          snap.select(
              Filter.parse("n >= 9990 OR (color = 'green' AND t < '2020-01-01')").bind(SCHEMA));
      assertEquals(10, both.count());
      assertEquals(0, store.faultsInjected(), "no file of a pruned segment was touched");
      long read = store.bytesRead() - before;
      assertTrue(read < segmentBytes, "read " + read + " bytes, one segment is " + segmentBytes);
      // The tripwire is live: a filter that needs the first segment trips it.
      var early = Filter.parse("t < TIMESTAMP '" + T0.plusSeconds(600) + "'").bind(SCHEMA);
      assertThrows(IOException.class, () -> snap.select(early));
      store.clearFaults();
      assertEquals(10, snap.select(early).count());
    }
  }

  @Test
  void manifestsWithoutStatisticsStillSelect() throws Exception {
    try (Database db = Database.open(dir.toString())) {
      Collection c = db.create(CollectionSpec.of("old", 2, Metric.L2).withSchema(SCHEMA));
      List<Map<String, Object>> attrs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        attrs.add(Map.of("n", (long) i));
      }
      c.add(Rows.of(new float[5][2]).withIds(0, 1, 2, 3, 4).withAttributes(attrs));
      c.flush();
      Manifest m = c.snapshot().manifest();
      String json = m.toJsonString();
      assertTrue(json.contains("\"stats\""));
      // A manifest written before statistics: drop the field and parse it back.
      var tree =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      tree.withArray("segments")
          .forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("stats"));
      Manifest old = Manifest.parse(tree.toString().getBytes(), "test");
      assertNull(old.segments().getFirst().stats());
      assertEquals(
          m.segments().getFirst().stats(),
          Manifest.parse(m.toJson(), "t").segments().getFirst().stats());
      assertTrue(
          io.npywrapper.meta.index.Pruner.mayMatch(
              Filter.parse("n > 100").bind(SCHEMA).root(), old.segments().getFirst().stats()));
      assertEquals(2, c.snapshot().select(Filter.parse("n > 2").bind(SCHEMA)).count());
      Path statsFile =
          dir.resolve("old").resolve(m.segments().getFirst().files().get(SegmentStats.FILE).key());
      SegmentStats fromFile =
          SegmentStats.fromFile(Files.readAllBytes(statsFile), statsFile.toString());
      assertEquals(m.segments().getFirst().stats(), fromFile);
    }
  }
}
