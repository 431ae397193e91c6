package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.query.Hit;
import io.npywrapper.search.Metric;
import io.npywrapper.testing.Clustered;
import io.npywrapper.testing.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a process while it builds graph indexes, at random moments, then checks that the
 * collection opens, holds every row, answers exact and graph queries, and that every index a
 * manifest references opens; a final build indexes everything and vacuum removes the orphans.
 */
class IndexCrashTest {
  static final int DIM = 16;
  static final int SEGMENT = 2_000;

  @TempDir Path dir;

  static EngineOptions options() {
    return Database.defaultOptions()
        .withCompactionMillis(0)
        .withIndex(new IndexOptions(16, 200, 1_000, 1, false));
  }

  private static void addSegment(Collection c, Random rnd, long first) throws Exception {
    float[][] v = Clustered.vectors(rnd, SEGMENT, DIM, 8);
    long[] ids = new long[SEGMENT];
    java.util.Arrays.setAll(ids, i -> first + i);
    c.add(Rows.of(v).withIds(ids));
    c.flush();
  }

  @Test
  void killDuringIndexBuildLeavesACollectionThatReadsAndIndexes() throws Exception {
    String store = dir.resolve("store").toString();
    Random rnd = new Random(Seeds.of(900));
    try (Database db = Database.open(store, options());
        Collection c = db.create(CollectionSpec.of("c", DIM, Metric.L2))) {
      addSegment(c, rnd, 0);
      addSegment(c, rnd, SEGMENT);
    }
    int trials = 4;
    for (int t = 0; t < trials; t++) {
      try (ChildJvm child = ChildJvm.start(IndexCrashChild.class, store)) {
        assertEquals("ready", child.readLine());
        Thread.sleep(50 + rnd.nextInt(1_200));
        child.kill();
      }
      try (Database db = Database.open(store, options());
          Collection c = db.collection("c")) {
        long rows = (long) (t + 2) * SEGMENT;
        assertEquals(rows, c.count(), "trial " + t);
        Snapshot snap = c.snapshot();
        Selection all = snap.select(null);
        for (int s = 0; s < all.segmentCount(); s++) {
          if (snap.manifest().segments().get(s).index() != null) {
            assertNotNull(all.graph(s), "a referenced index opens, trial " + t);
          }
        }
        float[] q = Clustered.vectors(rnd, 1, DIM, 1)[0];
        List<Hit> exact = c.query().nearest(q).limit(10).exact().execute().hits();
        assertEquals(10, exact.size());
        assertEquals(10, c.query().nearest(q).limit(10).execute().hits().size());
        addSegment(c, rnd, rows); // something new to index in the next trial
      }
    }
    try (Database db = Database.open(store, options());
        Collection c = db.collection("c")) {
      c.buildIndexes();
      Selection all = c.snapshot().select(null);
      for (int s = 0; s < all.segmentCount(); s++) {
        assertNotNull(all.graph(s), "segment " + s + " indexed");
      }
      // A build killed mid-way leaves its scratch directory; once untouched for the grace period
      // (simulated by ageing it), vacuum sweeps it with the unreferenced index files.
      Path scratch = dir.resolve("store").resolve(".staging");
      if (Files.isDirectory(scratch)) {
        FileTime old = FileTime.from(Instant.now().minus(Vacuum.SCRATCH_GRACE).minusSeconds(60));
        try (Stream<Path> left = Files.walk(scratch)) {
          for (Path p : left.filter(p -> !p.equals(scratch)).toList()) {
            Files.setLastModifiedTime(p, old);
          }
        }
      }
      new Vacuum(c.engine()).vacuum(Duration.ZERO);
      try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
        assertEquals(
            all.segmentCount(),
            files.filter(p -> p.getFileName().toString().endsWith(".hnsw")).count(),
            "vacuum removed the index files no manifest references");
      }
    }
  }
}
