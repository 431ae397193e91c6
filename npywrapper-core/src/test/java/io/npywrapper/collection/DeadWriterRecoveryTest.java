package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.search.Metric;
import io.npywrapper.store.FaultyBlobStore;
import io.npywrapper.store.LocalBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of dead writers' logs when other processes commit while it runs. */
class DeadWriterRecoveryTest {
  @TempDir Path dir;

  private static void add(Collection c, long from, long to) throws IOException {
    for (long id = from; id < to; id++) {
      c.add(new float[][] {{id, 1}}, id);
    }
  }

  private static Path onlyLog(Path walDir) throws IOException {
    try (Stream<Path> s = Files.list(walDir)) {
      List<Path> dirs = s.toList();
      assertEquals(1, dirs.size(), dirs.toString());
      return dirs.getFirst();
    }
  }

  /**
   * An engine opens at version N; before it looks at the logs, a dead writer's log is committed (by
   * its owner's flush and a recoverer that then died before deleting it) and one of its rows is
   * deleted by someone else. The opening engine must judge what is committed by the newest version,
   * not by the one it opened at: replaying the log again would resurrect the deleted row.
   */
  @Test
  void recoveryJudgesTheLogByTheNewestVersionNotTheOneItOpenedAt() throws Exception {
    Path root = dir.resolve("store");
    String v2 = "c/_manifests/" + String.format("v%020d.json", 2);
    try (Database db = Database.open(root)) {
      Collection c = db.create(CollectionSpec.of("c", 2, Metric.L2));
      add(c, 0, 10);
      c.flush(); // version 2
    }
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    FaultyBlobStore gated = new FaultyBlobStore(LocalBlobStore.open(root));
    // Holds the opening engine inside its read of version 2 until the others are done.
    gated.delayNext(
        FaultyBlobStore.Op.READ,
        1,
        Duration.ZERO,
        k -> {
          if (k.equals(v2)) {
            reading.countDown();
            await(proceed);
          }
          return false;
        });
    EngineOptions sameLogs = Database.defaultOptions().withWalRoot(root);
    Collection[] opened = new Collection[1];
    Throwable[] failure = new Throwable[1];
    try (Database late = Database.open(gated, sameLogs)) {
      Thread opener =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      opened[0] = late.collection("c");
                    } catch (Throwable t) {
                      failure[0] = t;
                    }
                  });
      assertTrue(reading.await(60, TimeUnit.SECONDS));

      Path walDir = root.resolve("c").resolve("wal");
      Path saved = dir.resolve("saved-log");
      try (Database other = Database.open(root)) {
        Collection e = other.collection("c"); // opened (and done recovering) before the log returns
        try (Database db = Database.open(root)) {
          Collection c = db.collection("c");
          add(c, 10, 15);
          c.flush(); // version 3
          add(c, 15, 20);
          Path log = onlyLog(walDir);
          Files.createDirectories(saved);
          try (Stream<Path> s = Files.list(log)) {
            for (Path f : s.toList()) {
              Files.copy(f, saved.resolve(f.getFileName()));
            }
          }
          c.close(); // version 4 commits rows 15..19 and removes the log
          Files.move(saved, log, StandardCopyOption.ATOMIC_MOVE); // as if its recoverer died
        }
        e.refresh();
        assertEquals(1, e.delete(Ids.of(17)));
        e.flush(); // version 5
      }
      proceed.countDown();
      opener.join();
      if (failure[0] != null) {
        throw new AssertionError("opening failed", failure[0]);
      }
      Collection c = opened[0];
      c.refresh();
      assertFalse(c.get(17L).isPresent(), "a deleted row came back from a replayed log");
      assertEquals(19, c.count());
      assertEquals(5, c.versions().size(), "nothing was committed twice");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
