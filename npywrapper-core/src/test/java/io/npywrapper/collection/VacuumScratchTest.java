package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.search.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vacuum's sweep of the local scratch directory: stale leftovers go, fresh entries stay. */
class VacuumScratchTest {
  @TempDir Path dir;

  @Test
  void sweepsOnlyScratchEntriesUntouchedForTheGracePeriod() throws Exception {
    try (Database db = Database.open(dir.resolve("store").toString());
        Collection c = db.create(CollectionSpec.of("c", 4, Metric.L2))) {
      c.add(new float[][] {{1, 2, 3, 4}}, 7L);
      c.flush();
      Path scratch = dir.resolve("store").resolve(".staging");
      Path stale = Files.createDirectories(scratch.resolve("index-stale"));
      Files.write(stale.resolve("graph.hnsw"), new byte[100]);
      FileTime old = FileTime.from(Instant.now().minus(Vacuum.SCRATCH_GRACE).minusSeconds(60));
      Files.setLastModifiedTime(stale.resolve("graph.hnsw"), old);
      Files.setLastModifiedTime(stale, old);
      // a live writer's entry: one file old, one just written, so the entry is in use
      Path live = Files.createDirectories(scratch.resolve("index-live"));
      Files.write(live.resolve("old.part"), new byte[10]);
      Files.setLastModifiedTime(live.resolve("old.part"), old);
      Files.write(live.resolve("new.part"), new byte[10]);
      Path fresh = Files.write(scratch.resolve("deletes-1.npy"), new byte[10]);

      Vacuum.Result r = new Vacuum(c.engine()).vacuum(Duration.ZERO);

      assertFalse(Files.exists(stale), "stale leftover swept");
      assertTrue(Files.exists(live.resolve("old.part")), "an entry in use is kept whole");
      assertTrue(Files.exists(fresh), "a fresh file is kept even with retention 0");
      assertTrue(r.filesDeleted() >= 1);
      assertTrue(r.bytesFreed() >= 100);
      assertEquals(1, c.count());
    }
  }
}
