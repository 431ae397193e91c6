package io.npywrapper.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a local directory, plus what only a local directory has: files and processes. */
class LocalBlobStoreTest extends BlobStoreContractTest {
  @TempDir Path dir;

  /** How the store under test publishes; null lets it probe the file system. */
  FilePublisher.Mode publish() {
    return null;
  }

  @Override
  protected BlobStore newStore() throws IOException {
    return LocalBlobStore.open(dir.resolve("store"), publish());
  }

  private LocalBlobStore local() {
    return (LocalBlobStore) store;
  }

  @Test
  void probesHardLinksOnTheFirstWrite() throws IOException {
    store.put("k", new byte[] {1});
    FilePublisher.Mode expected = publish() == null ? FilePublisher.Mode.HARD_LINK : publish();
    assertEquals(expected, local().publishMode());
    assertTrue(store.toString().contains(expected.name()), store.toString());
  }

  @Test
  void localPathIsTheRealFile() throws IOException {
    byte[] data = TestBlobs.random(1, 1000);
    store.put("seg/1/vectors.npy", data);
    Path p = local().localPath("seg/1/vectors.npy").orElseThrow();
    assertEquals(dir.resolve("store/seg/1/vectors.npy"), p);
    assertArrayEquals(data, Files.readAllBytes(p));
    assertEquals(Optional.empty(), local().localPath("seg/1"));
    assertEquals(Optional.empty(), local().localPath("seg/2/vectors.npy"));
    assertThrows(IllegalArgumentException.class, () -> local().localPath("../x"));
    assertInstanceOf(LocalFiles.class, store);
  }

  @Test
  void temporaryForeignAndHiddenFilesAreNeverListed() throws IOException {
    store.put("a/b", new byte[] {1});
    Path root = local().root();
    Files.write(root.resolve(".b.1234.tmp"), new byte[] {1});
    Files.write(root.resolve("a/.b.5678.tmp"), new byte[] {1});
    Files.createDirectories(root.resolve(".hidden"));
    Files.write(root.resolve(".hidden/c"), new byte[] {1});
    Files.write(root.resolve("a/has space"), new byte[] {1});
    Files.write(root.resolve("a/caf\u00e9"), new byte[] {1});
    assertEquals(List.of("a/b"), keysOf(""));
    assertEquals(List.of("a/b"), keysOf("a/"));
  }

  @Test
  void listingDuringWritesShowsOnlyCompleteBlobs() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Thread lister =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (!done.get()) {
                      for (BlobInfo info : store.list("w/")) {
                        if (info.key().contains("/.") || info.size() != 200_000) {
                          problems.add("listed " + info);
                        }
                      }
                    }
                  } catch (IOException e) {
                    problems.add("list failed: " + e);
                  }
                });
    for (int i = 0; i < 60; i++) {
      byte[] data = TestBlobs.selfChecking(i, 200_000);
      if (i % 2 == 0) {
        store.put("w/" + (i % 10), data);
      } else {
        store.putIfAbsent("w/new-" + i, data);
      }
    }
    done.set(true);
    lister.join();
    assertEquals(List.of(), List.copyOf(problems));
    try (Stream<Path> files = Files.walk(local().root())) {
      List<Path> temps = files.filter(p -> p.toString().endsWith(".tmp")).toList();
      assertEquals(List.of(), temps, "no temporary file is left behind by a successful write");
    }
  }

  @Test
  void aBlobAndADirectoryOfTheSameNameConflictClearly() throws IOException {
    store.put("a/b", new byte[] {1});
    IOException e = assertThrows(IOException.class, () -> store.put("a", new byte[] {2}));
    assertTrue(
        e.getMessage().contains("'a'") && e.getMessage().contains("directory"), e.getMessage());
    assertThrows(IOException.class, () -> store.putIfAbsent("a", new byte[] {2}));
    e = assertThrows(IOException.class, () -> store.put("a/b/c", new byte[] {3}));
    assertTrue(e.getMessage().contains("'a/b' is a blob"), e.getMessage());
    assertThrows(NoSuchBlobException.class, () -> store.read("a/b/c"));
    assertFalse(store.delete("a"));
    assertArrayEquals(new byte[] {1}, store.read("a/b"));
  }

  @Test
  void blobStoresOpensPathsAndFileUris() throws IOException {
    store.put("x", new byte[] {7});
    assertTrue(store.uri().startsWith("file:///"), store.uri());
    assertFalse(store.uri().endsWith("/"), store.uri());
    for (String location : List.of(store.uri(), local().root().toString())) {
      try (BlobStore again = BlobStores.open(location)) {
        assertInstanceOf(LocalBlobStore.class, again);
        assertEquals(store.uri(), again.uri());
        assertArrayEquals(new byte[] {7}, again.read("x"));
      }
    }
  }

  @Test
  void theRootMustBeADirectory() throws IOException {
    Path file = Files.write(dir.resolve("plain-file"), new byte[] {1});
    IOException e = assertThrows(IOException.class, () -> LocalBlobStore.open(file));
    assertTrue(e.getMessage().contains("plain-file"), e.getMessage());
    try (LocalBlobStore created = LocalBlobStore.open(dir.resolve("new/deeper/root"))) {
      assertTrue(Files.isDirectory(created.root()));
      assertEquals(List.of(), created.list(""));
    }
  }

  @Test
  @Timeout(60)
  void aKilledWriterNeverLeavesAPartialBlob() throws Exception {
    Path root = dir.resolve("killed");
    Random rnd = new Random(20261125);
    int leftoverTemps = 0;
    for (int cycle = 0; cycle < 6; cycle++) {
      Path log = dir.resolve("writer-" + cycle + ".log");
      Process p =
          LocalStoreChild.start(
              log,
              "writer",
              root.toString(),
              mode(),
              String.valueOf(cycle),
              dir.resolve("src").toString());
      try {
        BufferedReader out = reader(p);
        assertEquals("ready", out.readLine(), () -> "writer did not start: " + read(log));
        Thread.sleep(100 + rnd.nextInt(500));
      } finally {
        p.destroyForcibly();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "killed writer did not exit");
      }
      assertFalse(Files.readString(log).contains("Exception"), () -> read(log));
    }
    try (Stream<Path> files = Files.walk(root)) {
      leftoverTemps = (int) files.filter(f -> f.toString().endsWith(".tmp")).count();
    }
    try (LocalBlobStore after = LocalBlobStore.open(root, publish())) {
      List<BlobInfo> all = after.list("");
      assertTrue(all.size() >= 4, "writers wrote " + all.size() + " blobs");
      for (BlobInfo info : all) {
        byte[] b = after.read(info.key());
        assertEquals(info.size(), b.length, info.key());
        assertNull(TestBlobs.problem(b), () -> info.key() + " is damaged");
        assertFalse(info.key().contains("/."), info.key());
      }
      // the store is usable after kills (in locked mode: no lock is left held)
      assertTrue(after.putIfAbsent("after/kill", new byte[] {1}));
      after.put("w/hot-0", new byte[] {2});
      assertArrayEquals(new byte[] {2}, after.read("w/hot-0"));
    }
    System.out.println(
        "killed 6 writers; " + leftoverTemps + " hidden temporary files were left behind");
  }

  @Test
  @Timeout(60)
  void processesRacingOnPutIfAbsentHaveOneWinnerPerKey() throws Exception {
    Path root = dir.resolve("raced");
    int processes = 3;
    int keys = 40;
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    Map<Integer, List<Integer>> winners = new TreeMap<>();
    try {
      for (int id = 0; id < processes; id++) {
        Path log = dir.resolve("racer-" + id + ".log");
        Process p =
            LocalStoreChild.start(
                log, "race", root.toString(), mode(), String.valueOf(id), String.valueOf(keys));
        children.add(p);
        outs.add(reader(p));
      }
      for (int id = 0; id < processes; id++) {
        int i = id;
        assertEquals(
            "ready", outs.get(id).readLine(), () -> read(dir.resolve("racer-" + i + ".log")));
      }
      for (Process p : children) { // start all racers at once
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII);
        in.write("go\n");
        in.flush();
      }
      for (int id = 0; id < processes; id++) {
        for (String line; !"done".equals(line = outs.get(id).readLine()); ) {
          int i = id;
          assertTrue(
              line != null && line.startsWith("won "),
              () -> read(dir.resolve("racer-" + i + ".log")));
          winners
              .computeIfAbsent(Integer.parseInt(line.substring(4)), k -> new ArrayList<>())
              .add(id);
        }
        assertEquals(0, children.get(id).waitFor(), "racer exit status");
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
    assertEquals(keys, winners.size(), "every key has a winner: " + winners);
    Set<Integer> distinctWinners = new HashSet<>();
    try (LocalBlobStore after = LocalBlobStore.open(root)) {
      for (var e : winners.entrySet()) {
        assertEquals(1, e.getValue().size(), "winners of key " + e.getKey() + ": " + e.getValue());
        int winner = e.getValue().get(0);
        distinctWinners.add(winner);
        assertArrayEquals(
            LocalStoreChild.racePayload(winner, e.getKey()),
            after.read(LocalStoreChild.raceKey(e.getKey())));
      }
    }
    System.out.println("racers that won keys: " + distinctWinners);
  }

  private String mode() {
    return publish() == null ? "probe" : publish().name();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
