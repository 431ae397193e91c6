package io.npywrapper.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.store.FaultyBlobStore.InjectedFault;
import io.npywrapper.store.FaultyBlobStore.Op;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyBlobStoreTest {
  @TempDir Path dir;
  private BlobStore real;
  private FaultyBlobStore faulty;

  @BeforeEach
  void open() throws IOException {
    real = LocalBlobStore.open(dir.resolve("store"));
    faulty = new FaultyBlobStore(real);
  }

  @AfterEach
  void close() throws IOException {
    faulty.close();
  }

  @Test
  void failNextFailsCleanlyThatManyTimes() throws IOException {
    faulty.failNext(Op.PUT_IF_ABSENT, 2);
    for (int i = 0; i < 2; i++) {
      InjectedFault e =
          assertThrows(InjectedFault.class, () -> faulty.putIfAbsent("m/v1", new byte[] {1}));
      assertFalse(e.performed());
      assertEquals(Op.PUT_IF_ABSENT, e.op());
      assertEquals("m/v1", e.key());
      assertTrue(e.getMessage().contains("'m/v1'") && e.getMessage().contains(real.uri()));
      assertEquals(Optional.empty(), real.stat("m/v1"), "nothing was written");
    }
    assertEquals(0, faulty.pendingFaults());
    assertTrue(faulty.putIfAbsent("m/v1", new byte[] {1}));
    assertEquals(3, faulty.calls(Op.PUT_IF_ABSENT));
    assertEquals(2, faulty.faultsInjected());
  }

  @Test
  void faultsApplyOnlyToMatchingKeysAndOperations() throws IOException {
    faulty.failNext(Op.PUT, 1, k -> k.startsWith("seg/"));
    faulty.put("manifest", new byte[] {1}); // another key
    assertTrue(faulty.putIfAbsent("seg/a", new byte[] {1})); // another operation
    assertEquals(1, faulty.pendingFaults());
    assertThrows(InjectedFault.class, () -> faulty.put("seg/b", new byte[] {1}));
    faulty.put("seg/b", new byte[] {1});
  }

  @Test
  void succeedThenFailLeavesTheOutcomeUnknownToTheCaller() throws IOException {
    faulty.succeedThenFail(Op.PUT_IF_ABSENT, k -> k.startsWith("m/"));
    InjectedFault e =
        assertThrows(InjectedFault.class, () -> faulty.putIfAbsent("m/v2", new byte[] {5}));
    assertTrue(e.performed());
    assertTrue(e.getMessage().contains("created"), e.getMessage());
    // a caller resolves the unknown outcome by reading, never by retrying blindly
    assertArrayEquals(new byte[] {5}, faulty.read("m/v2"));
    assertFalse(faulty.putIfAbsent("m/v2", new byte[] {6}));
    faulty.succeedThenFail(Op.DELETE, k -> true);
    assertThrows(InjectedFault.class, () -> faulty.delete("m/v2"));
    assertEquals(Optional.empty(), real.stat("m/v2"));
  }

  @Test
  void tornPutsStoreHalfTheDataAndChecksumsCatchIt() throws IOException {
    byte[] data = TestBlobs.random(1, 1001);
    faulty.tornPutNext(2, k -> true);
    InjectedFault e = assertThrows(InjectedFault.class, () -> faulty.put("seg/x", data));
    assertTrue(e.performed());
    byte[] stored = real.read("seg/x");
    assertEquals(500, stored.length);
    assertFalse(Checksums.crc32c(data) == Checksums.crc32c(stored));
    Path file = Files.write(dir.resolve("upload"), data);
    assertThrows(InjectedFault.class, () -> faulty.put("seg/y", file));
    assertArrayEquals(Arrays.copyOf(data, 500), real.read("seg/y"));
    faulty.put("seg/y", file);
    assertArrayEquals(data, real.read("seg/y"));
  }

  @Test
  void delaysSlowTheNextCalls() throws IOException {
    faulty.put("k", new byte[] {1});
    faulty.delayNext(Op.READ, 1, Duration.ofMillis(150), k -> true);
    long t0 = System.nanoTime();
    faulty.read("k");
    long slow = System.nanoTime() - t0;
    assertTrue(slow >= 150_000_000L, "delayed read took " + slow + " ns");
    assertEquals(0, faulty.pendingFaults());
    assertEquals(0, faulty.faultsInjected(), "a delay is not a failure");
  }

  @Test
  void foreverFaultsFireUntilCleared() throws IOException {
    faulty.failNext(Op.LIST, FaultyBlobStore.FOREVER, p -> p.startsWith("seg"));
    for (int i = 0; i < 5; i++) {
      assertThrows(InjectedFault.class, () -> faulty.list("segments/"));
    }
    assertEquals(List.of(), faulty.list("manifests/"));
    assertEquals(1, faulty.pendingFaults());
    faulty.clearFaults();
    assertEquals(List.of(), faulty.list("segments/"));
  }

  @Test
  void countersCountCallsAndBytesReadAndWritten() throws IOException {
    faulty.put("a", TestBlobs.random(2, 1000));
    faulty.putIfAbsent("b", TestBlobs.random(3, 500));
    assertEquals(1500, faulty.bytesWritten());
    faulty.read("a");
    faulty.readRange("a", 100, 10);
    try (InputStream in = faulty.open("a")) {
      assertNotNull(in.readNBytes(300));
      in.read();
    }
    assertEquals(1000, faulty.bytesRead(Op.READ));
    assertEquals(10, faulty.bytesRead(Op.READ_RANGE));
    assertEquals(301, faulty.bytesRead(Op.OPEN), "only bytes the caller consumed count");
    assertEquals(1311, faulty.bytesRead());
    assertEquals(1, faulty.calls(Op.OPEN));
    faulty.resetCounters();
    assertEquals(0, faulty.bytesRead());
    assertEquals(0, faulty.calls(Op.PUT));
  }

  @Test
  void badKeysAreRejectedBeforeAnyFault() throws IOException {
    faulty.failNext(Op.STAT, 1);
    assertThrows(IllegalArgumentException.class, () -> faulty.stat("../x"));
    assertEquals(1, faulty.pendingFaults());
    assertThrows(InjectedFault.class, () -> faulty.stat("x"));
  }

  @Test
  void schedulingChecksItsArgumentsAndHidesLocalFiles() {
    assertThrows(IllegalArgumentException.class, () -> faulty.failNext(Op.READ, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> faulty.delayNext(Op.READ, 1, Duration.ofMillis(-1), k -> true));
    assertFalse(((Object) faulty) instanceof LocalFiles, "reads must not bypass the counters");
    assertEquals(real.uri(), faulty.uri());
  }
}
