package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.search.Metric;
import io.npywrapper.store.LocalBlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer that loses the race for a version gets in even while another writer commits back to
 * back: after its backoff it rebases on the newest version, not on one read before it slept (the
 * other writer has moved on during any sleep longer than its commit cycle).
 */
class CommitterContentionTest {
  private static final int COMMITS = 20;

  @TempDir Path dir;

  @Test
  void aLoserCommitsWhileAnotherWriterCommitsBackToBack() throws Exception {
    CollectionFiles files =
        new CollectionFiles(
            LocalBlobStore.open(dir.resolve("store")), "c", dir.resolve("scratch"), null);
    Manifest v1 =
        new Manifest(
            1,
            Manifest.newCommitId(),
            System.currentTimeMillis(),
            "create",
            CollectionSpec.of("c", 3, Metric.L2),
            Map.of(),
            List.of(),
            Map.of(),
            0);
    assertTrue(new Committer(files).publish(v1));

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger theirs = new AtomicInteger();
    AtomicReference<Exception> theirFailure = new AtomicReference<>();
    Thread other =
        Thread.ofPlatform()
            .start(
                () -> {
                  Committer c = new Committer(files);
                  try {
                    while (!stop.get()) {
                      c.commit(c.newest(v1), CommitterContentionTest::touch);
                      theirs.incrementAndGet();
                      Thread.sleep(2); // a commit cycle of a few milliseconds
                    }
                  } catch (Exception e) {
                    theirFailure.set(e);
                  }
                });
    try {
      Committer mine = new Committer(files);
      while (theirs.get() == 0) {
        Thread.onSpinWait();
      }
      AtomicInteger attempts = new AtomicInteger();
      int theirsBefore = theirs.get();
      for (int i = 0; i < COMMITS; i++) {
        Manifest stale = v1; // always behind: the first attempt loses
        mine.commit(
            stale,
            b -> {
              attempts.incrementAndGet();
              return touch(b);
            });
      }
      assertTrue(attempts.get() > COMMITS, "the first attempt of each commit should lose");
      assertTrue(theirs.get() > theirsBefore, "the other writer stopped committing meanwhile");
    } finally {
      stop.set(true);
      other.join();
    }
    assertNull(theirFailure.get(), "the other writer failed");
  }

  /** A successor of {@code b} that changes nothing but the version. */
  private static Manifest touch(Manifest b) {
    return b.next("append", b.segments(), b.walApplied(), b.nextId(), b.spec(), b.properties());
  }
}
