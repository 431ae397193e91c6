package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.search.Metric;
import io.npywrapper.store.FaultyBlobStore;
import io.npywrapper.store.LocalBlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writer threads (adds of distinct ids, upserts of overlapping ids, adds and deletes of pairs) and
 * reader threads share one collection, with small memtables so that flushes happen all the time.
 * Every snapshot a reader takes must be consistent: a batch is visible whole or not at all, a batch
 * acknowledged before the snapshot is visible, {@code count()} equals the number of ids {@code
 * get()} finds, and every row's vector belongs to its id. At the end no row is lost or doubled, and
 * reopening gives the same rows. Runs on a local store and on one that is not (segment files are
 * then read through the download cache).
 */
class ConcurrentAccessTest {
  private static final int DIM = 4;
  private static final int ADDERS = 2;
  private static final int UPSERTERS = 2;
  private static final int SHARED = 48;
  private static final int OPS = 60;
  private static final long ADD_BASE = 100_000;
  private static final long PAIR_BASE = 900_000;

  @TempDir Path dir;

  /** The vector of {@code id} as written with {@code tag}: decodable and self-checking. */
  static float[] vector(long id, int tag) {
    return new float[] {id, tag, id * 0.5f + tag, -id};
  }

  static void checkRow(Row r) {
    long id = (Long) r.id();
    float[] v = r.vector();
    assertArrayEquals(vector(id, (int) v[1]), v, "vector of row " + id);
  }

  private Database open(boolean local) throws IOException {
    EngineOptions o =
        Database.defaultOptions()
            .withFlushRows(64)
            .withRefreshMillis(0)
            .withWalRoot(dir.resolve("local"));
    if (local) {
      return Database.open(dir.resolve("store").toString(), o);
    }
    return Database.open(new FaultyBlobStore(LocalBlobStore.open(dir.resolve("store"))), o);
  }

  /** What writers have done, published for readers before and after each write. */
  private static final class Log {
    /** Per adder: the end of the id range its writes may have reached (set before writing). */
    final AtomicLongArray addTried = new AtomicLongArray(ADDERS);

    /** Per adder: batches {first, count}, added before the write starts. */
    final List<ConcurrentLinkedQueue<long[]>> batches = new ArrayList<>();

    /** Per adder: how many of its batches are acknowledged (a prefix of its list). */
    final AtomicLongArray acked = new AtomicLongArray(ADDERS);

    /** Shared ids whose upsert is acknowledged (they are never deleted). */
    final Set<Long> upserted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Pairs: the next pair number the pair writer may touch. */
    final AtomicLong pairTried = new AtomicLong();

    Log() {
      for (int i = 0; i < ADDERS; i++) {
        batches.add(new ConcurrentLinkedQueue<>());
      }
    }
  }

  @ParameterizedTest(name = "local store: {0}")
  @ValueSource(booleans = {true, false})
  void snapshotsStayConsistentWhileThreadsWriteAndFlush(boolean local) throws Exception {
    Log log = new Log();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger snapshots = new AtomicInteger();
    Set<Long> keptPairs;
    try (Database db = open(local)) {
      Collection c = db.create(CollectionSpec.of("conc", DIM, Metric.L2));
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      for (int a = 0; a < ADDERS; a++) {
        int adder = a;
        writers.add(thread(errors, start, () -> adder(c, log, adder)));
      }
      for (int u = 0; u < UPSERTERS; u++) {
        int upserter = u;
        writers.add(thread(errors, start, () -> upserter(c, log, upserter)));
      }
      Set<Long> kept = java.util.concurrent.ConcurrentHashMap.newKeySet();
      writers.add(thread(errors, start, () -> pairs(c, log, kept)));
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            thread(
                errors,
                start,
                () -> {
                  do {
                    check(c, log);
                    snapshots.incrementAndGet();
                    Thread.sleep(1); // leave the writers some of two cores
                  } while (writing.get() && errors.isEmpty());
                }));
      }
      start.countDown();
      for (Thread t : writers) {
        t.join();
      }
      writing.set(false);
      for (Thread t : readers) {
        t.join();
      }
      assertNoErrors(errors);
      assertTrue(snapshots.get() >= 2, "readers took " + snapshots.get() + " snapshots");
      keptPairs = kept;
      c.flush();
      assertFinal(c, log, keptPairs);
      check(c, log);
    }
    try (Database db = open(local)) {
      Collection c = db.collection("conc");
      assertFinal(c, log, keptPairs);
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Thread thread(
      ConcurrentLinkedQueue<Throwable> errors, CountDownLatch start, Body body) {
    return Thread.ofPlatform()
        .start(
            () -> {
              try {
                start.await();
                body.run();
              } catch (Throwable t) {
                errors.add(t);
              }
            });
  }

  private static void assertNoErrors(ConcurrentLinkedQueue<Throwable> errors) {
    if (!errors.isEmpty()) {
      AssertionError e = new AssertionError(errors.size() + " thread(s) failed", errors.peek());
      errors.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  /** Adds batches of 1 to 8 rows with new ids. */
  private static void adder(Collection c, Log log, int adder) throws IOException {
    Random rnd = new Random(adder);
    long next = ADD_BASE * (adder + 1);
    for (int op = 0; op < OPS; op++) {
      int n = 1 + rnd.nextInt(8);
      long[] ids = new long[n];
      float[][] v = new float[n][];
      for (int i = 0; i < n; i++) {
        ids[i] = next + i;
        v[i] = vector(ids[i], 0);
      }
      log.batches.get(adder).add(new long[] {next, n});
      log.addTried.set(adder, next + n);
      c.add(v, ids);
      log.acked.incrementAndGet(adder);
      next += n;
    }
  }

  /** Upserts runs of the shared ids; both upserters write every id. */
  private static void upserter(Collection c, Log log, int upserter) throws IOException {
    Random rnd = new Random(100 + upserter);
    for (int op = 0; op < OPS; op++) {
      int n = 1 + rnd.nextInt(12);
      int from = op == 0 ? 0 : rnd.nextInt(SHARED);
      if (op == 0) {
        n = SHARED;
      }
      long[] ids = new long[n];
      float[][] v = new float[n][];
      for (int i = 0; i < n; i++) {
        ids[i] = (from + i) % SHARED;
        v[i] = vector(ids[i], 1 + op * UPSERTERS + upserter);
      }
      c.upsert(Rows.of(v).withIds(ids));
      for (long id : ids) {
        log.upserted.add(id);
      }
    }
  }

  /** Adds pairs of rows and deletes most of them again, each pair in one batch. */
  private static void pairs(Collection c, Log log, Set<Long> kept) throws IOException {
    Random rnd = new Random(7);
    for (long p = 0; p < OPS; p++) {
      long a = PAIR_BASE + 2 * p;
      log.pairTried.set(p + 1);
      c.add(new float[][] {vector(a, 0), vector(a + 1, 0)}, a, a + 1);
      if (rnd.nextInt(3) == 0) {
        kept.add(p);
      } else {
        assertEquals(2, c.delete(Ids.of(a, a + 1)), "deleting pair " + p);
      }
      if (p % 20 == 0) {
        c.flush();
      }
    }
  }

  /** Takes a snapshot and checks its invariants. */
  private static void check(Collection c, Log log) throws IOException {
    // What was acknowledged before the snapshot must be in it ...
    long[] acked = new long[ADDERS];
    for (int a = 0; a < ADDERS; a++) {
      acked[a] = log.acked.get(a);
    }
    Set<Long> upserted = new HashSet<>(log.upserted);
    Snapshot s = c.snapshot();
    // ... and what writers may have started is read after it: the snapshot holds no more.
    long found = 0;
    for (int a = 0; a < ADDERS; a++) {
      long tried = log.addTried.get(a);
      int index = 0;
      for (long[] b : log.batches.get(a)) {
        int present = 0;
        for (long id = b[0]; id < b[0] + b[1]; id++) {
          var row = s.get(id);
          if (row.isPresent()) {
            checkRow(row.get());
            assertEquals(0f, row.get().vector()[1], "row " + id + " was only ever added");
            present++;
          }
        }
        assertTrue(present == 0 || present == b[1], "batch at " + b[0] + " is half there");
        assertTrue(index >= acked[a] || present == b[1], "acknowledged batch at " + b[0] + " lost");
        found += present;
        index++;
      }
      assertTrue(s.get(tried).isEmpty(), "row " + tried + " beyond what adder " + a + " wrote");
    }
    for (long id = 0; id < SHARED; id++) {
      var row = s.get(id);
      if (row.isPresent()) {
        checkRow(row.get());
        found++;
      } else {
        assertTrue(!upserted.contains(id), "upserted row " + id + " vanished");
      }
    }
    long pairs = log.pairTried.get();
    for (long p = 0; p < pairs; p++) {
      long a = PAIR_BASE + 2 * p;
      var r0 = s.get(a);
      var r1 = s.get(a + 1);
      assertEquals(r0.isPresent(), r1.isPresent(), "pair " + p + " half there");
      if (r0.isPresent()) {
        checkRow(r0.get());
        checkRow(r1.get());
        found += 2;
      }
    }
    assertEquals(found, s.count(), "count() of version " + s.version() + " vs rows get() finds");
  }

  /** After the writers: every acknowledged row once, with its data; nothing else. */
  private static void assertFinal(Collection c, Log log, Set<Long> keptPairs) throws IOException {
    Map<Object, Integer> live = new HashMap<>();
    Snapshot committed = c.engine().committedSnapshot();
    for (int i = 0; i < committed.segments().size(); i++) {
      SegmentReader r = committed.segments().get(i);
      for (long row = 0; row < r.ref().rows(); row++) {
        if (!committed.deletes().get(i).contains(row)) {
          live.merge(r.idAt(row), 1, Integer::sum);
        }
      }
    }
    long expected = SHARED + 2L * keptPairs.size();
    for (int a = 0; a < ADDERS; a++) {
      for (long[] b : log.batches.get(a)) {
        expected += b[1];
        for (long id = b[0]; id < b[0] + b[1]; id++) {
          assertArrayEquals(vector(id, 0), c.get(id).orElseThrow().vector(), "row " + id);
        }
      }
    }
    for (long id = 0; id < SHARED; id++) {
      checkRow(c.get(id).orElseThrow());
    }
    for (long p : keptPairs) {
      assertTrue(c.get(PAIR_BASE + 2 * p).isPresent(), "kept pair " + p);
    }
    for (var e : live.entrySet()) {
      assertEquals(1, e.getValue(), "live rows of id " + e.getKey());
    }
    assertEquals(expected, live.size());
    assertEquals(expected, c.count());
  }
}
