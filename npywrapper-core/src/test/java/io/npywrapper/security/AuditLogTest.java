package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import io.npywrapper.store.FaultyBlobStore;
import io.npywrapper.testing.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path dir;
  private BlobStore store;

  @BeforeEach
  void open() throws Exception {
    store = BlobStores.open(dir.toString());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static AuditEvent event(int second, String action) {
    return new AuditEvent(
        T0.plusSeconds(second), "alice", action, "docs", AuditEvent.OK, "d" + second);
  }

  @Test
  void eventsReadBackInTimeOrderWithinTheRangeAndLimit() throws Exception {
    try (AuditLog log = new AuditLog(store, Duration.ofHours(1))) {
      log.record(event(5, "add"));
      log.record(event(1, "drop"));
      log.flush();
      log.record(event(3, "upsert"));
      log.record(new AuditEvent(T0.plusSeconds(2), "bob", "create", null, AuditEvent.DENIED, null));
    }
    assertEquals(2, store.list(AuditLog.PREFIX).size(), "one object per flush");
    try (AuditLog log = new AuditLog(store, Duration.ofHours(1))) {
      List<AuditEvent> all = log.read(Instant.EPOCH, T0.plusSeconds(60), 100);
      assertEquals(
          List.of("drop", "create", "upsert", "add"),
          all.stream().map(AuditEvent::action).toList());
      assertEquals(null, all.get(1).collection());
      assertEquals("", all.get(1).detail());
      assertEquals(event(5, "add"), all.get(3));
      assertEquals(
          List.of("create", "upsert"),
          log.read(T0.plusSeconds(2), T0.plusSeconds(5), 100).stream()
              .map(AuditEvent::action)
              .toList());
      assertEquals(2, log.read(Instant.EPOCH, T0.plusSeconds(60), 2).size());
      assertThrows(IllegalArgumentException.class, () -> log.read(T0, T0, -1));
    }
  }

  @Test
  void recordedEventsReachTheStoreWithoutAnExplicitFlush() throws Exception {
    try (AuditLog log = new AuditLog(store, Duration.ofMillis(20))) {
      log.record(event(0, "add"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (store.list(AuditLog.PREFIX).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, store.list(AuditLog.PREFIX).size());
    }
  }

  @Test
  void objectsAreNeverRewritten() throws Exception {
    try (AuditLog a = new AuditLog(store, Duration.ofHours(1));
        AuditLog b = new AuditLog(store, Duration.ofHours(1))) {
      for (int i = 0; i < 5; i++) {
        a.record(event(i, "a"));
        b.record(event(i, "b"));
        a.flush();
        b.flush();
      }
      List<BlobInfo> objects = store.list(AuditLog.PREFIX);
      assertEquals(10, objects.size());
      byte[] first = store.read(objects.get(0).key());
      a.record(event(0, "a"));
      a.flush();
      assertEquals(11, store.list(AuditLog.PREFIX).size());
      assertTrue(Arrays.equals(first, store.read(objects.get(0).key())));
      assertEquals(11, a.read(Instant.EPOCH, T0.plusSeconds(60), 100).size());
    }
  }

  @RepeatedTest(20)
  void aTornOrTamperedObjectIsReportedNotSkippedSilently(RepetitionInfo info) throws Exception {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          List<AuditEvent> events = new ArrayList<>();
          for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
            events.add(event(i, "add"));
          }
          byte[] good = AuditFormat.write(events);
          assertEquals(events, AuditFormat.read(good, "x"));
          byte[] bad;
          if (rnd.nextBoolean()) {
            bad = Arrays.copyOf(good, rnd.nextInt(good.length)); // torn
          } else {
            bad = good.clone(); // one byte changed
            int pos = rnd.nextInt(bad.length - 1);
            bad[pos] = (byte) (bad[pos] == 'x' ? 'y' : 'x');
          }
          byte[] b = bad;
          SecurityFormatException e =
              assertThrows(SecurityFormatException.class, () -> AuditFormat.read(b, "obj"));
          assertTrue(e.getMessage().startsWith("obj: "), e.getMessage());
        });
  }

  @Test
  void aCorruptObjectInTheStoreShowsUpAsAnEvent() throws Exception {
    try (AuditLog log = new AuditLog(store, Duration.ofHours(1))) {
      log.record(event(1, "add"));
      log.flush();
      byte[] good = AuditFormat.write(List.of(event(2, "upsert")));
      String key =
          AuditLog.PREFIX + "000000000000000-999999999999999-0123456789abcdef-00000000.jsonl";
      store.put(key, Arrays.copyOf(good, good.length - 5));
      List<AuditEvent> all = log.read(Instant.EPOCH, T0.plusSeconds(60), 100);
      assertEquals(2, all.size());
      assertEquals("audit.corrupt", all.get(0).action());
      assertTrue(all.get(0).detail().contains(key), all.get(0).detail());
      assertTrue(all.get(0).detail().contains("truncated"), all.get(0).detail());
      assertEquals("add", all.get(1).action());
      String text =
          new String(store.read(store.list(AuditLog.PREFIX).get(1).key()), StandardCharsets.UTF_8);
      assertTrue(text.contains("\"end\":\"npywrapper-audit\""), text);
    }
  }

  @Test
  void aFloodOfDenialsWhileTheStoreFailsKeepsMemoryBoundedAndCountsWhatWasDropped()
      throws Exception {
    FaultyBlobStore faulty = new FaultyBlobStore(store);
    faulty.failNext(FaultyBlobStore.Op.PUT_IF_ABSENT, FaultyBlobStore.FOREVER);
    int flood = AuditLog.MAX_BUFFERED * 5 / 2;
    try (AuditLog log = new AuditLog(faulty, Duration.ofHours(1))) {
      for (int i = 0; i < flood; i++) {
        log.record(
            new AuditEvent(
                T0, Security.ANONYMOUS, "authenticate", null, AuditEvent.DENIED, "no key " + i));
        // denials stop at the bound; a retried flush may add an audit.dropped event or two
        assertTrue(log.buffered() <= AuditLog.MAX_BUFFERED + 3, "buffered " + log.buffered());
      }
      log.record(event(1, "add")); // not a denial: kept even with a full buffer
      assertThrows(IOException.class, log::flush);
      faulty.clearFaults();
      log.flush();
      assertEquals(0, log.buffered());
      List<AuditEvent> all = log.read(Instant.EPOCH, Instant.now().plusSeconds(60), 100_000);
      assertEquals(
          AuditLog.MAX_BUFFERED,
          all.stream().filter(e -> e.outcome().equals(AuditEvent.DENIED)).count(),
          "exactly the bound was kept, nothing lost by failed flushes");
      assertEquals(1, all.stream().filter(e -> e.action().equals("add")).count());
      List<AuditEvent> dropped =
          all.stream().filter(e -> e.action().equals("audit.dropped")).toList();
      assertTrue(!dropped.isEmpty() && dropped.size() <= 3, dropped.toString());
      long count = 0;
      for (AuditEvent d : dropped) {
        assertEquals(AuditEvent.FAILED, d.outcome());
        count += Long.parseLong(d.detail().substring(0, d.detail().indexOf(' ')));
      }
      assertEquals(flood - AuditLog.MAX_BUFFERED, count);
      assertEquals(AuditLog.MAX_BUFFERED + 1 + dropped.size(), all.size());
    }
  }
}
