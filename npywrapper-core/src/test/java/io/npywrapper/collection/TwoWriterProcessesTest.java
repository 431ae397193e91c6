package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writer processes ({@link SharedWriter}) commit to one collection at the same time while this
 * process reads it. Both must succeed; their commits rebase onto each other (the version history
 * interleaves them); no row is lost or doubled; the shared ids both upsert end with exactly one
 * live row each, holding the value of the writer that committed last.
 */
class TwoWriterProcessesTest {
  private static final int SHARED = 25;
  private static final int ROUNDS = 12;

  @TempDir Path dir;

  private record Done(String writerId, long next, int lastRound) {}

  @Test
  void twoWriterProcessesRebaseOntoEachOtherAndLoseNothing() throws Exception {
    String store = dir.resolve("store").toString();
    // Background compaction off: the test reads the append commits of the two writers.
    EngineOptions options = Database.defaultOptions().withRefreshMillis(0).withCompactionMillis(0);
    try (Database db = Database.open(store, options)) {
      db.create(CollectionSpec.of("shared", SharedWriter.DIM, Metric.L2));
    }
    List<ChildJvm> children = new ArrayList<>();
    try (Database db = Database.open(store, options)) {
      Collection c = db.collection("shared");
      for (int w = 0; w < 2; w++) {
        children.add(
            ChildJvm.start(
                SharedWriter.class,
                store,
                Integer.toString(w),
                Integer.toString(ROUNDS),
                Integer.toString(SHARED)));
      }
      String[] ids = new String[2];
      for (int w = 0; w < 2; w++) {
        String line = children.get(w).readLine();
        assertNotNull(line, "writer " + w + " died before it was ready");
        assertTrue(line.startsWith("ready w-"), line);
        ids[w] = line.substring("ready ".length());
      }
      children.forEach(ch -> ch.send("go"));
      Done[] done = new Done[2];
      Thread[] readers = new Thread[2];
      String[][] lines = new String[2][1];
      for (int w = 0; w < 2; w++) {
        ChildJvm ch = children.get(w);
        String[] slot = lines[w];
        readers[w] =
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        slot[0] = ch.readLine();
                      } catch (IOException e) {
                        slot[0] = "error " + e;
                      }
                    });
      }
      long lastVersion = 0;
      int checks = 0;
      while (readers[0].isAlive() || readers[1].isAlive()) {
        c.refresh();
        Snapshot s = c.snapshot();
        assertTrue(s.version() >= lastVersion, "versions go back: " + s.version());
        lastVersion = s.version();
        checkCommitted(s);
        checks++;
        Thread.sleep(20);
      }
      for (int w = 0; w < 2; w++) {
        readers[w].join();
        assertEquals(0, children.get(w).waitFor(60), "writer " + w + " failed");
        String[] f = lines[w][0] == null ? new String[0] : lines[w][0].split(" ");
        assertEquals(4, f.length, "writer " + w + " said " + lines[w][0]);
        assertEquals("done", f[0]);
        assertEquals(ids[w], f[1]);
        done[w] = new Done(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]));
      }
      assertTrue(checks > 0);

      c.refresh();
      Snapshot s = c.snapshot();
      checkCommitted(s);
      List<String> committers = committers(c);
      assertTrue(
          interleaved(committers, ids[0], ids[1]) && interleaved(committers, ids[1], ids[0]),
          "commits did not interleave: " + committers);
      String winner = committers.getLast();
      int w = winner.equals(ids[0]) ? 0 : 1;
      assertEquals(ids[w], winner);
      long expected = SHARED;
      for (int i = 0; i < 2; i++) {
        long first = SharedWriter.firstId(i);
        expected += done[i].next() - first;
        for (long id = first; id < done[i].next(); id++) {
          assertArrayEquals(SharedWriter.vector(id, 0), s.get(id).orElseThrow().vector(), "" + id);
        }
      }
      float[][] want = new float[SHARED][];
      float[][] got = new float[SHARED][];
      for (int k = 0; k < SHARED; k++) {
        want[k] = SharedWriter.vector(k, SharedWriter.tag(w, done[w].lastRound()));
        got[k] = s.get((long) k).orElseThrow().vector();
      }
      assertArrayEquals(want, got, "shared ids hold the last writer's values");
      assertEquals(expected, s.count());
      assertEquals(expected, liveRows(s).size());
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  /** In the committed segments of {@code s}: each id live once, every vector its id's. */
  private static void checkCommitted(Snapshot s) throws IOException {
    Map<Object, Integer> live = liveRows(s);
    for (var e : live.entrySet()) {
      assertEquals(1, e.getValue(), "version " + s.version() + ": live rows of id " + e.getKey());
      float[] v = s.get(e.getKey()).orElseThrow().vector();
      assertArrayEquals(SharedWriter.vector((Long) e.getKey(), (int) v[1]), v, "" + e.getKey());
    }
    assertEquals(live.size(), s.count(), "count() of version " + s.version());
  }

  private static Map<Object, Integer> liveRows(Snapshot s) throws IOException {
    Map<Object, Integer> out = new HashMap<>();
    for (int i = 0; i < s.segments().size(); i++) {
      SegmentReader r = s.segments().get(i);
      for (long row = 0; row < r.ref().rows(); row++) {
        if (!s.deletes().get(i).contains(row)) {
          out.merge(r.idAt(row), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  /**
   * The writer of each version after the first, from {@code versions()} and the manifests: the one
   * whose {@code wal_applied} entry the version advanced.
   */
  private static List<String> committers(Collection c) throws IOException {
    List<String> out = new ArrayList<>();
    Map<String, Long> before = Map.of();
    for (VersionInfo v : c.versions()) {
      Manifest m = c.engine().files().readManifest(v.version());
      if (v.version() > 1) {
        assertEquals("append", v.operation(), "version " + v.version());
        List<String> advanced = new ArrayList<>();
        for (var e : m.walApplied().entrySet()) {
          if (e.getValue() > before.getOrDefault(e.getKey(), 0L)) {
            advanced.add(e.getKey());
          }
        }
        assertEquals(1, advanced.size(), "version " + v.version() + " advanced " + advanced);
        out.add(advanced.getFirst());
      }
      before = m.walApplied();
    }
    return out;
  }

  /** True if a commit of {@code b} directly follows one of {@code a}. */
  private static boolean interleaved(List<String> committers, String a, String b) {
    for (int i = 1; i < committers.size(); i++) {
      if (committers.get(i - 1).equals(a) && committers.get(i).equals(b)) {
        return true;
      }
    }
    return false;
  }
}
