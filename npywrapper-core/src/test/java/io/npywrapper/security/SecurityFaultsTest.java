package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.store.BlobStores;
import io.npywrapper.store.FaultyBlobStore;
import io.npywrapper.store.FaultyBlobStore.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security state and audit log on a misbehaving store. */
class SecurityFaultsTest {
  private static final Principal OWNER = Principal.owner("test");

  @TempDir Path dir;

  private FaultyBlobStore store() throws IOException {
    return new FaultyBlobStore(BlobStores.open(dir.toString()));
  }

  @Test
  void aLostAcknowledgementIsResolvedByReadingBackAndAppliedOnce() throws Exception {
    try (FaultyBlobStore store = store();
        Security sec = Security.open(store)) {
      store.succeedThenFail(Op.PUT_IF_ABSENT, k -> k.startsWith(StateStore.PREFIX));
      sec.createUser(OWNER, "ann", List.of("reader"));
      assertEquals(1, store.faultsInjected());
      assertEquals(1, store.delegate().list(StateStore.PREFIX).size(), "published once");
      assertEquals("ann", sec.users(OWNER).getFirst().name());
    }
  }

  @Test
  void aCleanFailurePublishesNothingAndTheNextChangeWorks() throws Exception {
    try (FaultyBlobStore store = store();
        Security sec = Security.open(store)) {
      store.failNext(Op.PUT_IF_ABSENT, 1, k -> k.startsWith(StateStore.PREFIX));
      assertThrows(
          FaultyBlobStore.InjectedFault.class, () -> sec.createUser(OWNER, "ann", List.of()));
      assertTrue(store.delegate().list(StateStore.PREFIX).isEmpty());
      // the put fails and reading back fails too: the outcome is reported as unknown
      store.failNext(Op.PUT_IF_ABSENT, 1, k -> k.startsWith(StateStore.PREFIX));
      store.failNext(Op.READ, 1, k -> k.startsWith(StateStore.PREFIX));
      IOException unknown =
          assertThrows(IOException.class, () -> sec.createUser(OWNER, "ann", List.of()));
      assertTrue(unknown.getMessage().contains("may or may not be visible"), unknown.getMessage());
      assertTrue(store.delegate().list(StateStore.PREFIX).isEmpty());
      assertTrue(sec.users(OWNER).isEmpty());
      sec.createUser(OWNER, "ann", List.of());
      assertEquals(1, sec.users(OWNER).size());
    }
  }

  @Test
  void auditEventsSurviveAFailedFlushAndAreWrittenOnce() throws Exception {
    try (FaultyBlobStore store = store()) {
      AuditLog log = new AuditLog(store, Duration.ofHours(1));
      Instant t = Instant.parse("2026-11-25T10:00:00Z");
      log.record(new AuditEvent(t, "ann", "add", "docs", AuditEvent.OK, "1 rows"));
      store.failNext(Op.PUT_IF_ABSENT, 1, k -> k.startsWith(AuditLog.PREFIX));
      assertThrows(IOException.class, log::flush);
      log.record(new AuditEvent(t.plusSeconds(1), "ann", "add", "docs", AuditEvent.OK, "2 rows"));
      log.close();
      List<AuditEvent> all = new AuditLog(store, Duration.ofHours(1)).read(t, t.plusSeconds(9), 9);
      assertEquals(List.of("1 rows", "2 rows"), all.stream().map(AuditEvent::detail).toList());
    }
  }

  @Test
  void aDamagedStateDocumentFailsClosedNamingTheFile() throws Exception {
    String token;
    try (FaultyBlobStore store = store();
        Security sec = Security.open(store)) {
      sec.createUser(OWNER, "ann", List.of("reader"));
      token = sec.createKey(OWNER, "ann", Optional.empty()).token();
    }
    try (FaultyBlobStore store = store()) {
      String key = StateStore.key(2);
      String json = new String(store.read(key), StandardCharsets.UTF_8);
      store.put(
          key, json.replace("\"version\" : 2", "\"version\" : 3").getBytes(StandardCharsets.UTF_8));
      SecurityFormatException e =
          assertThrows(SecurityFormatException.class, () -> Security.open(store));
      assertTrue(e.getMessage().contains(key), e.getMessage());
      assertTrue(e.getMessage().contains("records version 3, expected 2"), e.getMessage());
      store.put(key, json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));
      e = assertThrows(SecurityFormatException.class, () -> Security.open(store));
      assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
      store.put(key, json.getBytes(StandardCharsets.UTF_8));
      try (Security sec = Security.open(store)) {
        assertEquals("ann", sec.authenticate(token).user());
      }
    }
  }
}
