package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log on its own: records come back in order; a torn or corrupt tail (a crash
 * mid-append) is cut off and everything before it replays; corruption anywhere else is an error
 * naming the file; no length field makes it allocate more than the file holds; its lock excludes
 * other processes while the owner lives and is free once it dies; applied files are discarded.
 */
class WriteAheadLogTest {
  @TempDir Path dir;

  /** Payload of record number {@code i}: distinct content, lengths 0 to 60. */
  private static byte[] payload(int i) {
    byte[] b = new byte[(i * 37) % 61];
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) (i * 31 + j);
    }
    return b;
  }

  private static List<WriteAheadLog.Entry> replay(WriteAheadLog log, long appliedUpTo)
      throws IOException {
    List<WriteAheadLog.Entry> out = new ArrayList<>();
    log.replay(appliedUpTo, out::add);
    return out;
  }

  /** Opens the log in {@code d}, replays it, appends records {@code from..to} and closes it. */
  private static void session(Path d, int from, int to) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      assertNotNull(log);
      replay(log, 0);
      for (int i = from; i <= to; i++) {
        assertEquals(i, log.append(payload(i)), "sequence number of record " + i);
      }
    }
  }

  /** Reopens the log in {@code d} and returns the sequence numbers it replays. */
  private static List<Long> seqs(Path d) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      assertNotNull(log);
      List<Long> out = new ArrayList<>();
      for (WriteAheadLog.Entry e : replay(log, 0)) {
        assertArrayEquals(payload((int) e.seq()), e.payload(), "payload of record " + e.seq());
        out.add(e.seq());
      }
      return out;
    }
  }

  private static List<Path> logFiles(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void appendsReplayInOrderAndAppendingContinuesAfterTheLast() throws Exception {
    Path d = dir.resolve("w");
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      assertEquals(List.of(), replay(log, 0));
      assertEquals(1, log.nextSeq());
      for (int i = 1; i <= 20; i++) {
        assertEquals(i, log.append(payload(i)));
      }
    }
    assertEquals(20, seqs(d).size());
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      List<WriteAheadLog.Entry> tail = replay(log, 12);
      assertEquals(List.of(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), seqOf(tail));
      assertEquals(21, log.nextSeq());
      assertEquals(21, log.append(payload(21)));
    }
    List<Long> all = seqs(d);
    assertEquals(21, all.size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i));
    }
  }

  private static List<Long> seqOf(List<WriteAheadLog.Entry> entries) {
    return entries.stream().map(WriteAheadLog.Entry::seq).toList();
  }

  @Test
  void tornTailCutAtEveryByteIsTruncatedAndTheRestReplays() throws Exception {
    Path d = dir.resolve("w");
    session(d, 1, 3);
    Path file = logFiles(d).getFirst();
    byte[] whole = Files.readAllBytes(file);
    int lastStart = whole.length - WriteAheadLog.RECORD_HEADER - payload(3).length;
    for (int cut = lastStart; cut < whole.length; cut++) {
      Path t = dir.resolve("cut-" + cut);
      Files.createDirectories(t);
      Path f = t.resolve(file.getFileName());
      Files.write(f, java.util.Arrays.copyOf(whole, cut));
      try (WriteAheadLog log = WriteAheadLog.tryOpen(t)) {
        assertEquals(List.of(1L, 2L), seqOf(replay(log, 0)), "cut at byte " + cut);
        assertEquals(lastStart, Files.size(f), "torn tail not truncated, cut at byte " + cut);
        assertEquals(3, log.append(payload(3)), "cut at byte " + cut);
      }
      assertEquals(List.of(1L, 2L, 3L), seqs(t), "after re-append, cut at byte " + cut);
    }
  }

  @Test
  void flippedByteInTheLastRecordIsDetectedAndTruncated() throws Exception {
    Path d = dir.resolve("w");
    session(d, 1, 3);
    Path file = logFiles(d).getFirst();
    byte[] whole = Files.readAllBytes(file);
    int lastStart = whole.length - WriteAheadLog.RECORD_HEADER - payload(3).length;
    for (int at = lastStart; at < whole.length; at++) {
      for (int mask : new int[] {0x01, 0x80, 0xff}) {
        Path t = dir.resolve("flip-" + at + "-" + mask);
        Files.createDirectories(t);
        byte[] bad = whole.clone();
        bad[at] ^= (byte) mask;
        Path f = t.resolve(file.getFileName());
        Files.write(f, bad);
        try (WriteAheadLog log = WriteAheadLog.tryOpen(t)) {
          String where = "byte " + at + " ^ " + mask;
          assertEquals(List.of(1L, 2L), seqOf(replay(log, 0)), where);
          assertEquals(lastStart, Files.size(f), where);
          assertEquals(3, log.nextSeq(), where);
        }
      }
    }
  }

  @Test
  void corruptRecordFollowedByAValidOneInTheNewestFileIsAnErrorNotATornTail() throws Exception {
    Path d = dir.resolve("w");
    session(d, 1, 4);
    Path f = logFiles(d).getFirst();
    byte[] good = Files.readAllBytes(f);
    int second = WriteAheadLog.FILE_HEADER + WriteAheadLog.RECORD_HEADER + payload(1).length;
    int third = second + WriteAheadLog.RECORD_HEADER + payload(2).length;
    for (int at = second; at < third; at++) {
      byte[] bad = good.clone();
      bad[at] ^= 0x10;
      Files.write(f, bad);
      try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
        IOException e = assertThrows(IOException.class, () -> replay(log, 0), "byte " + at);
        assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte " + second), e.getMessage());
      }
      assertEquals(good.length, Files.size(f), "acknowledged records after byte " + at + " cut");
    }
  }

  @Test
  void tornFileHeaderOfANewestFileIsDropped() throws Exception {
    Path d = dir.resolve("w");
    session(d, 1, 3);
    Path torn = d.resolve(String.format("log-%020d.wal", 4));
    Files.write(torn, java.util.Arrays.copyOf(WriteAheadLog.MAGIC, 5));
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      assertEquals(List.of(1L, 2L, 3L), seqOf(replay(log, 0)));
      assertFalse(Files.exists(torn));
      assertEquals(4, log.append(payload(4)));
    }
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs(d));
  }

  /** Two sessions make two files: log-1 with records 1-3 and log-4 with records 4-5. */
  private Path twoFiles() throws IOException {
    Path d = dir.resolve("w");
    session(d, 1, 3);
    session(d, 4, 5);
    assertEquals(2, logFiles(d).size());
    return d;
  }

  @Test
  void corruptRecordInAnOlderFileIsAnErrorNamingTheFile() throws Exception {
    Path d = twoFiles();
    Path older = logFiles(d).getFirst();
    byte[] good = Files.readAllBytes(older);
    int second = WriteAheadLog.FILE_HEADER + WriteAheadLog.RECORD_HEADER + payload(1).length;
    List<byte[]> corruptions = new ArrayList<>();
    byte[] flipped = good.clone();
    flipped[second + WriteAheadLog.RECORD_HEADER] ^= 1; // payload of record 2
    corruptions.add(flipped);
    byte[] hugeLength = good.clone();
    ByteBuffer.wrap(hugeLength).order(ByteOrder.LITTLE_ENDIAN).putInt(second, 1 << 29);
    corruptions.add(hugeLength);
    corruptions.add(java.util.Arrays.copyOf(good, good.length - 3)); // cut short
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    corruptions.add(badMagic);
    corruptions.add(java.util.Arrays.copyOf(good, 7)); // header cut short
    for (int i = 0; i < corruptions.size(); i++) {
      Files.write(older, corruptions.get(i));
      try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
        IOException e = assertThrows(IOException.class, () -> replay(log, 0), "corruption " + i);
        assertTrue(
            e.getMessage().contains(older.getFileName().toString()),
            "corruption " + i + ": " + e.getMessage());
      }
      assertTrue(Files.exists(older), "corruption " + i + ": the older file was deleted");
      assertEquals(
          corruptions.get(i).length,
          Files.size(older),
          "corruption " + i + ": the older file was changed");
    }
    Files.write(older, good);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(d));
  }

  @Test
  void unsupportedFormatVersionIsAnErrorNamingTheFile() throws Exception {
    Path d = dir.resolve("w");
    session(d, 1, 2);
    Path f = logFiles(d).getFirst();
    byte[] b = Files.readAllBytes(f);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
    Files.write(f, b);
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      IOException e = assertThrows(IOException.class, () -> replay(log, 0));
      assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }
    assertEquals(b.length, Files.size(f), "a log of a newer format must not be truncated");
  }

  @Test
  void hostileLengthFieldNeverAllocatesMoreThanTheFile() throws Exception {
    int[] lengths = {
      WriteAheadLog.MAX_RECORD,
      WriteAheadLog.MAX_RECORD - 1,
      WriteAheadLog.MAX_RECORD + 1,
      Integer.MAX_VALUE,
      -1,
      Integer.MIN_VALUE,
      1 << 24,
      4096
    };
    for (int len : lengths) {
      for (boolean newest : new boolean[] {true, false}) {
        Path d = dir.resolve("hostile-" + len + "-" + newest);
        session(d, 1, 2);
        if (!newest) {
          session(d, 3, 3); // a newer file makes the damaged one an older file
        }
        Path f = logFiles(d).getFirst();
        long goodSize = Files.size(f);
        ByteBuffer rec = ByteBuffer.allocate(WriteAheadLog.RECORD_HEADER + 40);
        rec.order(ByteOrder.LITTLE_ENDIAN).putInt(len).putInt(12345).putLong(3);
        Files.write(f, rec.array(), java.nio.file.StandardOpenOption.APPEND);
        long before = allocatedBytes();
        try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
          if (newest) {
            assertEquals(List.of(1L, 2L), seqOf(replay(log, 0)), "length " + len);
            assertEquals(goodSize, Files.size(f), "length " + len);
          } else {
            IOException e = assertThrows(IOException.class, () -> replay(log, 0));
            assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
          }
        }
        long allocated = allocatedBytes() - before;
        assertTrue(
            allocated < 1 << 20,
            "replaying a " + (goodSize + rec.capacity()) + "-byte log allocated " + allocated);
      }
    }
  }

  @Test
  void hostileCountsInsideARecordNeverAllocateMoreThanTheRecord() throws Exception {
    CollectionSpec spec =
        CollectionSpec.of("h", 4, Metric.L2)
            .withSchema(Schema.of(Map.of("s", AttributeType.STRING)));
    byte[] good =
        Batch.of(
                Batch.Op.ADD,
                Rows.of(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}})
                    .withIds(7, 8)
                    .withAttributes(List.of(Map.of("s", "x"), Map.of("s", "yy"))),
                Ids.of(7, 8),
                spec)
            .encode();
    assertEquals(Ids.of(7, 8), Batch.decode(good, spec).ids);
    // Every int field of the record, set to hostile values: each must fail cleanly and cheaply.
    int[] hostile = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30, good.length, 0x00ffffff};
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up: class loading allocates
      for (int at = 0; at + 4 <= good.length; at++) {
        for (int v : hostile) {
          byte[] bad = good.clone();
          ByteBuffer.wrap(bad).putInt(at, v); // the payload is big-endian (DataOutputStream)
          long before = allocatedBytes();
          try {
            Batch.decode(bad, spec);
          } catch (IOException expected) {
            // a clear "corrupt log record" or end-of-record error
          }
          long allocated = allocatedBytes() - before;
          assertTrue(
              pass == 0 || allocated < 64L * good.length + (64 << 10),
              "decoding a "
                  + good.length
                  + "-byte record with "
                  + v
                  + " at "
                  + at
                  + " allocated "
                  + allocated);
        }
      }
    }
  }

  @Test
  void createdLogAppearsAlreadyLocked() throws Exception {
    Path d = dir.resolve("wal").resolve("w-new");
    try (WriteAheadLog log = WriteAheadLog.create(d)) {
      assertTrue(Files.isDirectory(d));
      assertNull(WriteAheadLog.tryOpen(d), "a new log is locked from the moment it exists");
      assertThrows(IOException.class, () -> WriteAheadLog.create(d), "the directory exists");
      assertEquals(1, log.append(payload(1)));
      assertEquals(2, log.append(payload(2)));
    }
    try (Stream<Path> s = Files.list(d.getParent())) {
      assertEquals(List.of(d), s.toList(), "no temporary directory is left");
    }
    assertEquals(List.of(1L, 2L), seqs(d));
  }

  @Test
  void aSecondOpenInThisProcessIsRefusedUntilClose() throws Exception {
    Path d = dir.resolve("w");
    WriteAheadLog first = WriteAheadLog.tryOpen(d);
    assertNotNull(first);
    assertNull(WriteAheadLog.tryOpen(d));
    first.close();
    WriteAheadLog again = WriteAheadLog.tryOpen(d);
    assertNotNull(again);
    again.close();
  }

  @Test
  void lockExcludesOtherProcessesWhileTheOwnerLivesAndIsFreeAfterItDies() throws Exception {
    Path d = dir.resolve("w");
    try (ChildJvm child = ChildJvm.start(WalLockChild.class, d.toString())) {
      assertEquals("locked", child.readLine());
      assertNull(WriteAheadLog.tryOpen(d), "a live process holds the log");
      try (ChildJvm second = ChildJvm.start(WalLockChild.class, d.toString())) {
        assertEquals("busy", second.readLine(), "another process must not take a held log");
        assertEquals(0, second.waitFor(60));
      }
      child.kill();
      try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
        assertNotNull(log, "the lock of a killed process must be free");
        List<WriteAheadLog.Entry> entries = replay(log, 0);
        assertEquals(1, entries.size());
        assertEquals("child", new String(entries.getFirst().payload(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void discardUpToDeletesOnlyFullyAppliedFilesAndAppendingRollsOn() throws Exception {
    Path d = twoFiles();
    List<Path> files = logFiles(d);
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      assertEquals(5, replay(log, 0).size());
      log.discardUpTo(2); // record 3 of the first file is not applied yet
      assertEquals(files, logFiles(d));
      log.discardUpTo(3);
      assertEquals(List.of(files.get(1)), logFiles(d));
      Path sixth = d.resolve(String.format("log-%020d.wal", 6));
      assertEquals(6, log.append(payload(6)));
      assertEquals(List.of(files.get(1), sixth), logFiles(d), "a session starts a new file");
      assertEquals(7, log.append(payload(7)));
      assertEquals(List.of(files.get(1), sixth), logFiles(d), "appends go to the current file");
      log.discardUpTo(5);
      assertEquals(List.of(sixth), logFiles(d));
      log.discardUpTo(6); // record 7 is in the same file: keep it
      assertEquals(List.of(sixth), logFiles(d));
      log.discardUpTo(7);
      assertEquals(List.of(), logFiles(d));
      assertEquals(8, log.append(payload(8)), "numbering goes on after a discard");
      assertEquals(
          List.of(d.resolve(String.format("log-%020d.wal", 8))),
          logFiles(d),
          "a new file is started, named by its first record");
    }
    assertEquals(List.of(8L), seqs(d));
    try (WriteAheadLog log = WriteAheadLog.tryOpen(d)) {
      assertEquals(List.of(), replay(log, 8));
      assertEquals(9, log.nextSeq());
      log.deleteAll();
    }
    assertFalse(Files.exists(d), "deleteAll removes the directory");
    WriteAheadLog fresh = WriteAheadLog.tryOpen(d);
    assertNotNull(fresh, "deleteAll releases the lock");
    fresh.close();
  }
}
