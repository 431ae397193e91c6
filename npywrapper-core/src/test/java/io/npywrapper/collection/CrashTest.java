package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills real writer processes with SIGKILL at random moments while they ingest, flush and compact,
 * then checks that every acknowledged row is present with its data, that nothing else appeared, and
 * that the collection opens. Several kills hit the same store in turn, so recovery runs on top of
 * earlier recoveries.
 */
class CrashTest {
  private static final int TRIALS = Integer.getInteger("npyw.crash.trials", 10);

  @TempDir Path dir;

  private static String javaBin() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ingest", "flush", "compact"})
  void acknowledgedRowsSurviveKill9(String mode) throws Exception {
    String store = dir.resolve("store").toString();
    Random random = new Random(mode.hashCode());
    List<long[]> acked = new ArrayList<>();
    List<long[]> tried = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              javaBin(),
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              System.getProperty("java.class.path"),
              CrashWriter.class.getName(),
              store,
              mode,
              Long.toString(random.nextLong()));
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = in.readLine();
      assertEquals("ready", first, "writer did not start");
      long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(800));
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      String line;
                      while ((line = in.readLine()) != null) {
                        String[] f = line.split(" ");
                        if (f.length == 3 && (f[0].equals("ack") || f[0].equals("try"))) {
                          long[] batch = {Long.parseLong(f[1]), Long.parseLong(f[2])};
                          synchronized (acked) {
                            (f[0].equals("ack") ? acked : tried).add(batch);
                          }
                        }
                      }
                    } catch (java.io.IOException e) {
                      // stream closed by the kill
                    }
                  });
      while (System.nanoTime() < killAt && p.isAlive()) {
        Thread.sleep(5);
      }
      assertTrue(p.isAlive(), "writer exited by itself with " + (p.isAlive() ? "" : p.exitValue()));
      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
      // pipe and lose lines the writer printed just before it died.
      p.toHandle().destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      reader.join();
      verify(store, acked, tried);
    }
    assertTrue(acked.size() > TRIALS, "too few writes were acknowledged: " + acked.size());
  }

  /**
   * Opens the store (recovering the dead writer's log) and checks: every acknowledged row is
   * present with its data; a batch that was attempted but not acknowledged is present whole or not
   * at all; nothing else is present.
   */
  private static void verify(String store, List<long[]> acked, List<long[]> tried)
      throws Exception {
    try (Database db = Database.open(store)) {
      Collection c = db.collection("crash");
      long expected = 0;
      synchronized (acked) {
        java.util.Set<Long> ackedFirst = new java.util.HashSet<>();
        for (long[] a : acked) {
          assertEquals(a[1], present(c, a), "acknowledged batch at " + a[0] + " lost rows");
          ackedFirst.add(a[0]);
          expected += a[1];
        }
        for (long[] t : tried) {
          if (!ackedFirst.contains(t[0])) {
            long n = present(c, t);
            assertTrue(
                n == 0 || n == t[1], "unacknowledged batch at " + t[0] + " is half there: " + n);
            expected += n;
          }
        }
      }
      if (expected != c.count()) {
        throw new AssertionError(
            "rows present beyond the attempted batches: expected "
                + expected
                + ", count "
                + c.count()
                + "; "
                + duplicates(c)
                + "; untried: "
                + untried(c, tried));
      }
    }
  }

  /** Live ids outside every attempted batch, for the failure message. */
  private static String untried(Collection c, List<long[]> tried) throws Exception {
    Snapshot s = c.engine().committedSnapshot();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.segments().size(); i++) {
      SegmentReader r = s.segments().get(i);
      for (long row = 0; row < r.ref().rows(); row++) {
        long id = (Long) r.idAt(row);
        boolean in = false;
        for (long[] t : tried) {
          in |= id >= t[0] && id < t[0] + t[1];
        }
        if (!in && sb.length() < 300) {
          sb.append(id).append('@').append(r.ref().id()).append('#').append(row).append(' ');
        }
      }
    }
    return sb.toString();
  }

  /** Ids stored live in more than one place, for the failure message. */
  private static String duplicates(Collection c) throws Exception {
    Snapshot s = c.engine().committedSnapshot();
    java.util.Map<Object, String> seen = new java.util.HashMap<>();
    StringBuilder dup = new StringBuilder();
    for (int i = 0; i < s.segments().size(); i++) {
      SegmentReader r = s.segments().get(i);
      for (long row = 0; row < r.ref().rows(); row++) {
        if (s.deletes().get(i).contains(row)) {
          continue;
        }
        String where = r.ref().id() + "#" + row;
        String prev = seen.put(r.idAt(row), where);
        if (prev != null && dup.length() < 400) {
          dup.append(r.idAt(row))
              .append(" in ")
              .append(prev)
              .append(" and ")
              .append(where)
              .append("; ");
        }
      }
    }
    return "duplicates: "
        + dup
        + " manifest "
        + s.manifest().toJsonString().replaceAll("\\s+", " ").substring(0, 600);
  }

  /** How many rows of batch {@code b} are present, checking each one's vector. */
  private static long present(Collection c, long[] b) throws Exception {
    long n = 0;
    for (long id = b[0]; id < b[0] + b[1]; id++) {
      var row = c.get(id);
      if (row.isPresent()) {
        assertArrayEquals(CrashWriter.vector(id), row.get().vector(), "data of row " + id);
        n++;
      }
    }
    return n;
  }
}
