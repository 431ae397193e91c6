package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Numpy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCompactVacuumTest {
  @TempDir Path dir;

  private Path matrix(String name, int rows, int dim) throws Exception {
    float[] v = new float[rows * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Path p = dir.resolve(name);
    NpyWriter.write(p, v, new long[] {rows, dim}, WriteOptions.DEFAULT);
    return p;
  }

  private Database db() throws Exception {
    return Database.open(
        dir.resolve("store").toString(), Database.defaultOptions().withSegmentRows(1000));
  }

  @Test
  void importSplitsIntoSegmentsAndNumpyReadsThem() throws Exception {
    Path vectors = matrix("v.npy", 2500, 8);
    try (Database db = db()) {
      Collection c = db.create(CollectionSpec.of("imp", 8, Metric.L2));
      Importer.Result r = new Importer(c.engine()).importNpy(vectors, null, n -> {});
      assertEquals(2500, r.rows());
      assertEquals(3, r.segments());
      assertEquals(2500, c.count());
      assertArrayEquals(
          new float[] {8, 9, 10, 11, 12, 13, 14, 15}, c.get(1L).orElseThrow().vector());
      Importer.Result r2 = new Importer(c.engine()).importNpy(vectors, null, n -> {});
      assertEquals(2500, r2.firstId());
      assertEquals(5000, c.count());
    }
    for (String python : Numpy.pythons()) {
      String out =
          Numpy.run(
              python,
              """
              import numpy as np, glob
              segs = sorted(glob.glob('store/imp/segments/*/vectors.npy'))
              ids = np.concatenate([np.load(s.replace('vectors', 'ids')) for s in segs])
              v = np.concatenate([np.load(s, mmap_mode='r') for s in segs])
              print(len(segs), v.shape, sorted(ids.tolist()) == list(range(5000)))
              """,
              dir);
      assertEquals("6 (5000, 8) True", out.strip(), python);
    }
  }

  @Test
  void importRejectsBadInputBeforeCommitting() throws Exception {
    Path vectors = matrix("v.npy", 10, 8);
    Path wrongDim = matrix("w.npy", 10, 4);
    Path ids = dir.resolve("ids.npy");
    NpyWriter.write(ids, new long[] {1, 2, 3}, new long[] {3}, WriteOptions.DEFAULT);
    float[] nan = new float[16];
    nan[13] = Float.NaN;
    Path nanFile = dir.resolve("nan.npy");
    NpyWriter.write(nanFile, nan, new long[] {2, 8}, WriteOptions.DEFAULT);
    try (Database db = db()) {
      Collection c = db.create(CollectionSpec.of("bad", 8, Metric.L2));
      Importer imp = new Importer(c.engine());
      var e1 =
          assertThrows(
              IllegalArgumentException.class, () -> imp.importNpy(wrongDim, null, n -> {}));
      assertTrue(e1.getMessage().contains("dimension 4"), e1.getMessage());
      var e2 =
          assertThrows(IllegalArgumentException.class, () -> imp.importNpy(vectors, ids, n -> {}));
      assertTrue(e2.getMessage().contains("has 3 ids for 10 vectors"), e2.getMessage());
      var e3 =
          assertThrows(IllegalArgumentException.class, () -> imp.importNpy(nanFile, null, n -> {}));
      assertTrue(e3.getMessage().contains("row 1 has NaN at position 5"), e3.getMessage());
      assertEquals(0, c.count());
      try (var s = Files.walk(dir.resolve("store/bad"))) {
        assertFalse(
            s.anyMatch(p -> p.toString().endsWith("vectors.npy")), "no segment left behind");
      }
    }
  }

  @Test
  void compactionMergesAndDropsDeletedRowsThenVacuumFrees() throws Exception {
    try (Database db = db()) {
      Collection c = db.create(CollectionSpec.of("cmp", 2, Metric.L2));
      for (int s = 0; s < 4; s++) {
        float[][] v = new float[50][2];
        long[] ids = new long[50];
        for (int i = 0; i < 50; i++) {
          ids[i] = s * 50 + i;
          v[i] = new float[] {ids[i], -ids[i]};
        }
        c.add(v, ids);
        c.flush();
      }
      c.delete(Ids.of(0, 1, 2, 150));
      c.flush();
      long before = c.snapshot().version();
      assertEquals(4, c.snapshot().segmentCount());
      Compactor.Result r = new Compactor(c.engine()).compact();
      assertEquals(4, r.inputSegments());
      assertEquals(1, r.outputSegments());
      assertEquals(196, r.rowsWritten());
      assertEquals(196, c.count());
      assertEquals(1, c.snapshot().segmentCount());
      assertArrayEquals(new float[] {151, -151}, c.get(151L).orElseThrow().vector());
      assertFalse(c.get(150L).isPresent());
      assertEquals(200 - 4 + 0, c.atVersion(before).count() + 0);
      Vacuum.Result kept = new Vacuum(c.engine()).vacuum(Duration.ofHours(1));
      assertEquals(0, kept.filesDeleted());
      Vacuum.Result v = new Vacuum(c.engine()).vacuum(Duration.ZERO);
      assertTrue(v.filesDeleted() > 4, "deleted " + v.filesDeleted());
      assertTrue(v.manifestsDeleted() > 0);
      assertEquals(196, c.count());
      assertEquals(1, c.versions().size());
      assertThrows(java.util.NoSuchElementException.class, () -> c.atVersion(before));
    }
  }

  @Test
  void backgroundCompactionMergesSmallSegmentsWhileWritesGoOn() throws Exception {
    var options = Database.defaultOptions().withSegmentRows(1000).withCompactionMillis(50);
    try (Database db = Database.open(dir.resolve("bg").toString(), options)) {
      Collection c = db.create(CollectionSpec.of("bg", 2, Metric.L2));
      for (int s = 0; s < 10; s++) {
        c.add(new float[][] {{s, s}, {s, -s}}, 2L * s, 2L * s + 1);
        c.flush();
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      long extra = 1000;
      while (c.versions().stream().noneMatch(v -> v.operation().equals("compact"))
          && System.nanoTime() < deadline) {
        c.add(new float[][] {{0, 0}}, extra++); // writes go on while it compacts
        Thread.sleep(20);
      }
      // Once writes stop, later rounds merge what is left (a compaction flushes pending writes).
      while (c.snapshot().segmentCount() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, c.snapshot().segmentCount());
      assertTrue(c.versions().stream().anyMatch(v -> v.operation().equals("compact")));
      for (long id = 0; id < 20; id++) {
        assertTrue(c.get(id).isPresent(), "row " + id);
      }
    }
  }

  @Test
  void compactionCarriesOverUpsertsAndDeletesMadeWhileItRuns() throws Exception {
    var options = Database.defaultOptions().withSegmentRows(10_000).withCompactionMillis(0);
    try (Database db = Database.open(dir.resolve("carry").toString(), options)) {
      Collection c = db.create(CollectionSpec.of("carry", 2, Metric.L2));
      for (int s = 0; s < 4; s++) {
        float[][] v = new float[500][];
        long[] ids = new long[500];
        for (int i = 0; i < 500; i++) {
          ids[i] = s * 500 + i;
          v[i] = new float[] {ids[i], 0};
        }
        c.add(v, ids);
        c.flush();
      }
      float[] last = new float[2000];
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicReference<Throwable> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    java.util.Random random = new java.util.Random(7);
                    try {
                      for (int round = 1; !stop.get(); round++) {
                        long id = random.nextInt(2000);
                        c.upsert(Rows.of(new float[][] {{id, round}}).withIds(id));
                        last[(int) id] = round;
                        if (round % 5 == 0) {
                          c.flush();
                        }
                      }
                    } catch (Throwable t) {
                      failure.set(t);
                    }
                  });
      int compactions = 0;
      for (int i = 0; i < 5; i++) {
        Thread.sleep(30);
        if (new Compactor(c.engine()).compact().inputSegments() > 0) {
          compactions++;
        }
      }
      stop.set(true);
      writer.join();
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertTrue(compactions >= 3, "compactions that committed: " + compactions);
      assertEquals(2000, c.count());
      for (long id = 0; id < 2000; id++) {
        assertArrayEquals(
            new float[] {id, last[(int) id]}, c.get(id).orElseThrow().vector(), "row " + id);
      }
      c.flush();
      assertEquals(2000, c.count());
    }
  }
}
