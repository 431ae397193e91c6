package io.npywrapper.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link BlobStore} must have. Each backend's test subclasses it unchanged and
 * supplies {@link #newStore()}; backend-specific tests go in the subclass.
 */
public abstract class BlobStoreContractTest {
  /** Keys every method must reject, each breaking a different rule of {@link Keys}. */
  protected static final List<String> BAD_KEYS =
      List.of(
          "",
          "/a",
          "a/",
          "a//b",
          ".",
          "..",
          "a/./b",
          "a/../b",
          "../a",
          ".hidden",
          "a/.tmp",
          "a\\b",
          "a\u0000b",
          "a\nb",
          "a b",
          "a:b",
          "a*b",
          "caf\u00e9",
          "x".repeat(1025),
          "a/" + "y".repeat(256));

  /** A store for the current test, from {@link #newStore()}; closed after the test. */
  protected BlobStore store;

  /** Scratch space for local files the tests upload. */
  @TempDir protected Path scratch;

  /** Returns a new, empty store; each test gets its own. */
  protected abstract BlobStore newStore() throws Exception;

  /**
   * Whether large blobs move between files and the store without being held on the caller's heap.
   * True for every real backend; only an in-memory test double would override it.
   */
  protected boolean streamsWithoutHeap() {
    return true;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  @Test
  void putThenReadBack() throws IOException {
    byte[] data = TestBlobs.random(1, 10_000);
    store.put("a/b/blob.bin", data);
    assertArrayEquals(data, store.read("a/b/blob.bin"));
    assertEquals(Optional.of(new BlobInfo("a/b/blob.bin", 10_000)), store.stat("a/b/blob.bin"));
    try (InputStream in = store.open("a/b/blob.bin")) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertArrayEquals(data, store.readRange("a/b/blob.bin", 0, data.length));
    assertArrayEquals(
        Arrays.copyOfRange(data, 777, 7777), store.readRange("a/b/blob.bin", 777, 7000));
  }

  @Test
  void emptyBlobIsABlob() throws IOException {
    store.put("empty", new byte[0]);
    assertEquals(Optional.of(new BlobInfo("empty", 0)), store.stat("empty"));
    assertArrayEquals(new byte[0], store.read("empty"));
    assertArrayEquals(new byte[0], store.readRange("empty", 0, 0));
    try (InputStream in = store.open("empty")) {
      assertEquals(-1, in.read());
    }
    assertEquals(List.of(new BlobInfo("empty", 0)), store.list(""));
    assertFalse(store.putIfAbsent("empty", new byte[] {1}));
    assertTrue(store.delete("empty"));
  }

  @Test
  void missingBlobIsNamedInTheError() throws IOException {
    store.put("present", new byte[] {1});
    assertEquals(Optional.empty(), store.stat("missing/key"));
    List<Executable> reads =
        List.of(
            () -> store.read("missing/key"),
            () -> store.readRange("missing/key", 0, 0),
            () -> store.open("missing/key").close());
    for (Executable read : reads) {
      NoSuchBlobException e = assertThrows(NoSuchBlobException.class, read);
      assertEquals("missing/key", e.key());
      assertEquals("missing/key", e.getFile());
      assertEquals(store.uri(), e.storeUri());
      assertTrue(e.getMessage().contains("missing/key"), e.getMessage());
      assertTrue(e.getMessage().contains(store.uri()), e.getMessage());
    }
    assertFalse(store.delete("missing/key"));
    assertFalse(store.uri().isBlank());
  }

  @Test
  void putReplacesTheWholeBlob() throws IOException {
    store.put("k", TestBlobs.random(2, 5000));
    byte[] shorter = TestBlobs.random(3, 10);
    store.put("k", shorter);
    assertArrayEquals(shorter, store.read("k"));
    assertEquals(10, store.stat("k").orElseThrow().size());
    byte[] longer = TestBlobs.random(4, 9000);
    store.put("k", longer);
    assertArrayEquals(longer, store.read("k"));
    assertEquals(List.of(new BlobInfo("k", 9000)), store.list(""));
  }

  @Test
  void putIfAbsentCreatesOnceAndKeepsTheFirst() throws IOException {
    byte[] first = TestBlobs.random(5, 100);
    assertTrue(store.putIfAbsent("m/v1", first));
    assertFalse(store.putIfAbsent("m/v1", TestBlobs.random(6, 200)));
    Path file = Files.write(scratch.resolve("other"), TestBlobs.random(7, 300));
    assertFalse(store.putIfAbsent("m/v1", file));
    assertArrayEquals(first, store.read("m/v1"));
    assertTrue(store.delete("m/v1"));
    assertTrue(store.putIfAbsent("m/v1", file));
    assertArrayEquals(Files.readAllBytes(file), store.read("m/v1"));
  }

  @Test
  void putFromAFileCopiesItAndLeavesItAlone() throws IOException {
    byte[] data = TestBlobs.random(8, 70_000);
    Path file = Files.write(scratch.resolve("upload.bin"), data);
    store.put("up/a", file);
    assertTrue(store.putIfAbsent("up/b", file));
    assertArrayEquals(data, Files.readAllBytes(file), "the caller's file is unchanged");
    Files.write(file, new byte[] {9, 9, 9}); // later changes do not reach the blobs
    assertArrayEquals(data, store.read("up/a"));
    assertArrayEquals(data, store.read("up/b"));

    Path missing = scratch.resolve("no-such-file");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> store.put("up/c", missing));
    assertFalse(e instanceof NoSuchBlobException, "a missing local file is not a missing blob");
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertThrows(NoSuchFileException.class, () -> store.putIfAbsent("up/c", missing));
    assertThrows(IOException.class, () -> store.put("up/c", scratch)); // a directory
    assertEquals(Optional.empty(), store.stat("up/c"));
  }

  @Test
  void readRangeChecksItsBounds() throws IOException {
    byte[] data = TestBlobs.random(9, 100);
    store.put("r", data);
    assertArrayEquals(Arrays.copyOfRange(data, 90, 100), store.readRange("r", 90, 10));
    assertArrayEquals(new byte[0], store.readRange("r", 100, 0));
    assertArrayEquals(new byte[0], store.readRange("r", 50, 0));
    for (long[] bad : new long[][] {{95, 10}, {100, 1}, {101, 0}, {Long.MAX_VALUE, 1}}) {
      EOFException e =
          assertThrows(EOFException.class, () -> store.readRange("r", bad[0], (int) bad[1]));
      assertTrue(e.getMessage().contains("'r'"), e.getMessage());
      assertTrue(e.getMessage().contains("100"), "names the size: " + e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> store.readRange("r", -1, 1));
    assertThrows(IllegalArgumentException.class, () -> store.readRange("r", 0, -1));
  }

  @Test
  void listUsesPlainStringPrefixesSortedByKey() throws IOException {
    List<String> keys =
        List.of("x/a-b", "x/a.b", "x/a/b", "x/a/c/d", "x/a0", "x/ab", "xy/z", "y", "a-b/x");
    for (String k : keys) {
      store.put(k, k.getBytes(StandardCharsets.US_ASCII));
    }
    assertEquals(keys.stream().sorted().toList(), keysOf(""));
    assertEquals(List.of("x/a-b", "x/a.b", "x/a/b", "x/a/c/d", "x/a0", "x/ab"), keysOf("x/a"));
    assertEquals(List.of("x/a/b", "x/a/c/d"), keysOf("x/a/"));
    assertEquals(List.of("x/a/c/d"), keysOf("x/a/c"));
    assertEquals(List.of("x/a/c/d"), keysOf("x/a/c/d"));
    assertEquals(
        List.of("x/a-b", "x/a.b", "x/a/b", "x/a/c/d", "x/a0", "x/ab", "xy/z"), keysOf("x"));
    assertEquals(List.of(), keysOf("x/a/c/d/"));
    assertEquals(List.of(), keysOf("zzz"));
    assertEquals(List.of(), keysOf("x/q/"));
    assertEquals(new BlobInfo("x/a/c/d", 7), store.list("x/a/c").get(0));
  }

  @Test
  void directoriesAreNotBlobs() throws IOException {
    store.put("d/e/f", new byte[] {1});
    assertEquals(List.of("d/e/f"), keysOf("d"));
    assertEquals(Optional.empty(), store.stat("d"));
    assertEquals(Optional.empty(), store.stat("d/e"));
    assertThrows(NoSuchBlobException.class, () -> store.read("d/e"));
    assertFalse(store.delete("d/e"));
    assertEquals(List.of("d/e/f"), keysOf(""));
    assertThrows(NoSuchBlobException.class, () -> store.read("d/e/f/g"));
    assertEquals(Optional.empty(), store.stat("d/e/f/g"));
  }

  @Test
  void everyMethodRejectsBadKeysBeforeTouchingStorage() throws IOException {
    Path file = Files.write(scratch.resolve("f"), new byte[] {1});
    for (String bad : BAD_KEYS) {
      List<Executable> calls =
          List.of(
              () -> store.stat(bad),
              () -> store.read(bad),
              () -> store.readRange(bad, 0, 0),
              () -> store.open(bad),
              () -> store.put(bad, new byte[] {1}),
              () -> store.put(bad, file),
              () -> store.putIfAbsent(bad, new byte[] {1}),
              () -> store.putIfAbsent(bad, file),
              () -> store.delete(bad));
      for (Executable call : calls) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, bad);
        assertTrue(e.getMessage().startsWith("invalid key '"), e.getMessage());
      }
    }
    assertEquals(List.of(), store.list(""));
    for (String bad : List.of("/a", "a//", "a/../b", "./a", "a\\b", "a b", "a/.x/b")) {
      assertThrows(IllegalArgumentException.class, () -> store.list(bad), bad);
    }
  }

  @Test
  void everyAllowedCharacterAndTheLongestKeyWork() throws IOException {
    String odd = "AZaz09_-.=+@,/seg.ment/v=1,x+y@z";
    String longest = ("s".repeat(Keys.MAX_SEGMENT_LENGTH) + "/").repeat(3) + "t".repeat(254) + "/u";
    assertEquals(Keys.MAX_LENGTH, longest.length());
    for (String k : List.of(odd, longest)) {
      assertTrue(store.putIfAbsent(k, k.getBytes(StandardCharsets.US_ASCII)));
      assertEquals(k.length(), store.read(k).length);
    }
    assertEquals(List.of(odd, longest).stream().sorted().toList(), keysOf(""));
    assertEquals(List.of(odd), keysOf("AZaz09_-.=+@,/seg."));
  }

  @Test
  void deleteRemovesOnlyThatBlob() throws IOException {
    store.put("p/1", new byte[] {1});
    store.put("p/2", new byte[] {2});
    assertTrue(store.delete("p/1"));
    assertFalse(store.delete("p/1"));
    assertEquals(List.of("p/2"), keysOf(""));
    assertThrows(NoSuchBlobException.class, () -> store.read("p/1"));
  }

  @Test
  void aClosedStoreRefusesWork() throws IOException {
    store.put("k", new byte[] {1});
    store.close();
    store.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> store.stat("k"));
    assertThrows(IllegalStateException.class, () -> store.read("k"));
    assertThrows(IllegalStateException.class, () -> store.put("k", new byte[] {2}));
    assertThrows(IllegalStateException.class, () -> store.list(""));
  }

  @Test
  void racingPutIfAbsentHasExactlyOneWinnerPerKey() throws Exception {
    int threads = 8;
    int keys = 50;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    Map<String, Queue<Integer>> winners = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  Path file = scratch.resolve("race-" + thread);
                  for (int k = 0; k < keys; k++) {
                    String key = "race/" + (k % 5) + "/key-" + k;
                    byte[] data = racePayload(thread, k);
                    if (thread % 2 == 1) {
                      Files.write(file, data);
                    }
                    barrier.await(20, TimeUnit.SECONDS); // everyone on the same key at once
                    boolean won =
                        thread % 2 == 0
                            ? store.putIfAbsent(key, data)
                            : store.putIfAbsent(key, file);
                    if (won) {
                      winners.computeIfAbsent(key, x -> new ConcurrentLinkedQueue<>()).add(thread);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(keys, winners.size(), "every key has a winner");
    for (int k = 0; k < keys; k++) {
      String key = "race/" + (k % 5) + "/key-" + k;
      Queue<Integer> w = winners.get(key);
      assertEquals(1, w.size(), key + " winners: " + w);
      assertArrayEquals(racePayload(w.peek(), k), store.read(key), key + " holds its winner's");
    }
    assertEquals(keys, store.list("race/").size());
  }

  private static byte[] racePayload(int thread, int key) {
    return TestBlobs.selfChecking(thread * 1000L + key, 4096 + thread * 100 + key);
  }

  @Test
  void readersNeverSeePartialContentDuringOverwrites() throws Exception {
    String key = "hot/blob";
    store.put(key, overwriteVersion(0));
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        int mode = r;
        readers.add(
            pool.submit(
                () -> {
                  while (!done.get()) {
                    byte[] b =
                        switch (mode) {
                          case 0 -> store.read(key);
                          case 1 -> {
                            try (InputStream in = store.open(key)) {
                              yield in.readAllBytes();
                            }
                          }
                          default -> store.readRange(key, 0, 64 << 10);
                        };
                    String p = mode == 2 ? uniform(b) : TestBlobs.problem(b);
                    if (p != null) {
                      problems.add("reader " + mode + ": " + p);
                    }
                    reads.incrementAndGet();
                  }
                  return null;
                }));
      }
      Path file = scratch.resolve("version");
      for (int v = 1; v <= 120; v++) {
        if (v % 2 == 0) {
          store.put(key, overwriteVersion(v));
        } else {
          store.put(key, Files.write(file, overwriteVersion(v)));
        }
      }
      done.set(true);
      for (Future<?> f : readers) {
        f.get(30, TimeUnit.SECONDS); // a reader that saw the key missing fails here
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    assertEquals(List.of(), List.copyOf(problems));
    assertTrue(reads.get() > 0);
  }

  /** A self-checking blob whose payload bytes are all (byte) v, of a size that varies with v. */
  private static byte[] overwriteVersion(int v) {
    byte[] b = new byte[(64 << 10) + (v % 7) * 4099];
    Arrays.fill(b, (byte) v);
    ByteBuffer.wrap(b)
        .putLong(0, b.length)
        .putLong(8, Checksums.crc32c(b, TestBlobs.HEADER, b.length - TestBlobs.HEADER));
    return b;
  }

  private static String uniform(byte[] b) {
    for (int i = TestBlobs.HEADER + 1; i < b.length; i++) {
      if (b[i] != b[TestBlobs.HEADER]) {
        return "range mixes versions " + b[TestBlobs.HEADER] + " and " + b[i] + " at byte " + i;
      }
    }
    return null;
  }

  @Test
  void largeBlobsAreStreamedNotHeldOnTheHeap() throws IOException {
    long size = BlobStore.MAX_READ_BYTES + 4099L;
    Path big = scratch.resolve("big.bin");
    long crc = TestBlobs.writeRandomFile(big, 42, size);
    long before = allocatedBytes();
    store.put("big/blob", big);
    assertEquals(size, store.stat("big/blob").orElseThrow().size());
    long streamed;
    try (InputStream in = store.open("big/blob")) {
      streamed = Checksums.crc32c(in);
    }
    long allocated = allocatedBytes() - before;
    assertEquals(crc, streamed, "streamed content matches the file");
    if (streamsWithoutHeap() && before >= 0) {
      assertTrue(allocated < size / 4, "allocated " + allocated + " bytes for a " + size + " blob");
    }
    byte[] tail = store.readRange("big/blob", size - 10, 10);
    try (FileChannel ch = FileChannel.open(big)) {
      ByteBuffer expected = ByteBuffer.allocate(10);
      ch.read(expected, size - 10);
      assertArrayEquals(expected.array(), tail);
    }
    IOException e = assertThrows(IOException.class, () -> store.read("big/blob"));
    assertTrue(e.getMessage().contains("big/blob"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(size)), e.getMessage());
  }

  /** Bytes allocated so far by this thread, or -1 if the JVM cannot tell. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()
        && t.isThreadAllocatedMemoryEnabled()) {
      return t.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }

  @Test
  void concurrentPutsOfDistinctKeysAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < 25; k++) {
                    store.put("many/" + (k % 3) + "/t" + thread + "-" + k, racePayload(thread, k));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<BlobInfo> all = store.list("many/");
    assertEquals(100, all.size());
    for (BlobInfo info : all) {
      assertEquals(null, TestBlobs.problem(store.read(info.key())), info.key());
    }
  }

  /** The keys {@code store.list(prefix)} returns, in its order. */
  protected List<String> keysOf(String prefix) throws IOException {
    return store.list(prefix).stream().map(BlobInfo::key).toList();
  }
}
