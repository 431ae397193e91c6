package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks' cached store is reused with the same parameters and never built over. */
class ClusteredStoreTest {
  private static final String BUILT =
      "rows=1000000 annRows=1000000 dim=128 clusters=1000 seed=1 m=16 efConstruction=100";

  private static ClusteredStore store(Path dir, long annRows, ByteArrayOutputStream log) {
    return new ClusteredStore(
        dir, 1_000_000, annRows, 128, 1000, 16, 100, 2, new PrintStream(log, true));
  }

  @Test
  void refusesAStoreBuiltWithOtherParametersAndKeepsIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("READY"), BUILT + "\n");
    Path kept = Files.createDirectories(dir.resolve("store/ann")).resolve("segment.npy");
    Files.writeString(kept, "half an hour of graph building");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> store(dir, 200_000, new ByteArrayOutputStream()).prepare());
    assertTrue(e.getMessage().contains("built with " + BUILT), e.getMessage());
    assertTrue(e.getMessage().contains("asks for rows=1000000 annRows=200000"), e.getMessage());
    assertTrue(e.getMessage().contains("give another --dir"), e.getMessage());
    assertEquals("half an hour of graph building", Files.readString(kept));
    assertEquals(BUILT + "\n", Files.readString(dir.resolve("READY")));
  }

  @Test
  void reusesAStoreBuiltWithTheSameParameters(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("READY"), BUILT + "\n");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    store(dir, 1_000_000, log).prepare();
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("reusing"), log.toString());
    assertTrue(Files.notExists(dir.resolve("store")), "nothing was built");
  }
}
