package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityTest {
  private static final Principal OWNER = Principal.owner("test");

  @TempDir Path dir;
  private BlobStore store;
  private MutableClock clock;
  private Security sec;

  @BeforeEach
  void open() throws Exception {
    store = BlobStores.open(dir.toString());
    clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    sec = Security.open(store, clock);
  }

  @AfterEach
  void close() throws Exception {
    sec.close();
    store.close();
  }

  @Test
  void aKeyAuthenticatesAsItsUserWithTheUsersRoles() throws Exception {
    sec.createUser(OWNER, "alice", List.of("reader"));
    CreatedKey k = sec.createKey(OWNER, "alice", Optional.empty());
    assertTrue(k.token().startsWith("npyw_" + k.info().id() + "_"));
    assertFalse(k.toString().contains(k.token().substring(22)), "toString hides the secret");
    Principal p = sec.authenticate(k.token());
    assertEquals(new Principal("alice", Set.of("reader")), p);
    assertTrue(sec.allowed(p, "docs", Permission.READ));
    assertFalse(sec.allowed(p, "docs", Permission.WRITE));
  }

  @Test
  void wrongUnknownRevokedExpiredAndDisabledKeysAreRejected() throws Exception {
    sec.createUser(OWNER, "bob", List.of("writer"));
    CreatedKey k = sec.createKey(OWNER, "bob", Optional.of(Duration.ofHours(1)));
    sec.authenticate(k.token());
    String secret = k.token().substring(22);
    char last = secret.charAt(0) == 'A' ? 'B' : 'A';
    String wrong = k.token().substring(0, 22) + last + secret.substring(1);
    assertRejected(wrong, "wrong secret", secret);
    assertRejected("npyw_0000000000000000_" + secret, "unknown API key", secret);

    clock.advance(Duration.ofMinutes(59));
    sec.authenticate(k.token());
    clock.advance(Duration.ofMinutes(1));
    assertRejected(k.token(), "expired", secret);

    CreatedKey k2 = sec.createKey(OWNER, "bob", Optional.empty());
    sec.authenticate(k2.token());
    sec.updateUser(OWNER, "bob", List.of("writer"), true);
    assertRejected(k2.token(), "disabled", secret);
    sec.updateUser(OWNER, "bob", List.of("writer"), false);
    sec.authenticate(k2.token());
    sec.revokeKey(OWNER, k2.info().id());
    assertRejected(k2.token(), "revoked", secret);
    assertTrue(sec.keys(OWNER, Optional.of("bob")).stream().allMatch(i -> i.user().equals("bob")));
    assertEquals(2, sec.keys(OWNER, Optional.of("bob")).size());

    CreatedKey k3 = sec.createKey(OWNER, "bob", Optional.empty());
    sec.deleteUser(OWNER, "bob");
    assertRejected(k3.token(), "revoked", secret);
    List<AuditEvent> denials =
        sec.audit().read(Instant.EPOCH, clock.instant().plusSeconds(1), 100).stream()
            .filter(e -> e.outcome().equals(AuditEvent.DENIED))
            .toList();
    assertEquals(6, denials.size(), denials.toString());
    assertTrue(denials.stream().noneMatch(e -> e.detail().contains(secret.substring(0, 10))));
  }

  private void assertRejected(String token, String why, String secret) {
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> sec.authenticate(token));
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertFalse(e.getMessage().contains(secret.substring(1, 12)), "echoes the secret");
  }

  @Test
  void everythingNotGrantedIsDenied() throws Exception {
    sec.putRole(OWNER, new Role("logs", List.of(Grant.parse("logs_*:write")), false));
    sec.createUser(OWNER, "carol", List.of("logs"));
    Principal carol = sec.authenticate(sec.createKey(OWNER, "carol", Optional.empty()).token());
    sec.require(carol, "logs_1", Permission.WRITE);
    AccessDeniedException e =
        assertThrows(
            AccessDeniedException.class, () -> sec.require(carol, "logs_1", Permission.ADMIN));
    assertEquals("user 'carol' lacks admin permission on collection 'logs_1'", e.getMessage());
    assertThrows(AccessDeniedException.class, () -> sec.require(carol, "docs", Permission.READ));
    Principal nobody = new Principal("nobody", Set.of());
    assertFalse(sec.allowed(nobody, "docs", Permission.READ));
    Principal ghost = new Principal("ghost", Set.of("no-such-role"));
    assertFalse(sec.allowed(ghost, "docs", Permission.READ));
    assertThrows(AccessDeniedException.class, () -> sec.users(carol));
    assertThrows(AccessDeniedException.class, () -> sec.createUser(carol, "x", List.of()));
    assertThrows(
        AccessDeniedException.class, () -> sec.createKey(carol, "carol", Optional.empty()));
    assertEquals(List.of("carol"), sec.users(OWNER).stream().map(User::name).toList());

    // a custom role that manages security
    sec.putRole(OWNER, new Role("secadmin", List.of(), true));
    sec.createUser(OWNER, "dave", List.of("secadmin"));
    Principal dave = sec.authenticate(sec.createKey(OWNER, "dave", Optional.empty()).token());
    sec.createUser(dave, "erin", List.of("reader"));
    assertFalse(sec.allowed(dave, "docs", Permission.READ));
  }

  @Test
  void managementRejectsBadInputBeforeWriting() throws Exception {
    sec.createUser(OWNER, "frank", List.of());
    long versions = store.list(StateStore.PREFIX).size();
    assertThrows(IllegalArgumentException.class, () -> sec.createUser(OWNER, "frank", List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> sec.createUser(OWNER, "gina", List.of("nope")));
    assertThrows(IllegalArgumentException.class, () -> sec.createUser(OWNER, "../x", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> sec.putRole(OWNER, new Role("admin", List.of(), false)));
    assertThrows(IllegalArgumentException.class, () -> sec.deleteRole(OWNER, "reader"));
    assertThrows(NoSuchElementException.class, () -> sec.deleteRole(OWNER, "nope"));
    assertThrows(NoSuchElementException.class, () -> sec.revokeKey(OWNER, "0000000000000000"));
    assertThrows(
        NoSuchElementException.class, () -> sec.createKey(OWNER, "nope", Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> sec.createKey(OWNER, "frank", Optional.of(Duration.ZERO)));
    assertThrows(
        NoSuchElementException.class, () -> sec.updateUser(OWNER, "nope", List.of(), false));
    sec.putRole(OWNER, new Role("team", List.of(Grant.parse("a:read")), false));
    sec.updateUser(OWNER, "frank", List.of("team"), false);
    versions += 2;
    IllegalArgumentException inUse =
        assertThrows(IllegalArgumentException.class, () -> sec.deleteRole(OWNER, "team"));
    assertTrue(inUse.getMessage().contains("[frank]"), inUse.getMessage());
    assertEquals(versions, store.list(StateStore.PREFIX).size());
    assertEquals(
        List.of("admin", "reader", "writer", "team"),
        sec.roles(OWNER).stream().map(Role::name).toList());
  }

  @Test
  void stateSurvivesReopeningAndTheOldVersionsStay() throws Exception {
    sec.putRole(
        OWNER, new Role("team", List.of(Grant.parse("t_*:admin"), Grant.parse("x:read")), true));
    sec.createUser(OWNER, "hal", List.of("team", "reader"));
    sec.updateUser(OWNER, "hal", List.of("team"), true);
    CreatedKey k = sec.createKey(OWNER, "hal", Optional.of(Duration.ofDays(30)));
    sec.revokeKey(OWNER, sec.createKey(OWNER, "hal", Optional.empty()).info().id());
    sec.close();
    sec = Security.open(store, clock);
    assertEquals(
        List.of(new User("hal", List.of("team"), clock.instant(), true)), sec.users(OWNER));
    assertEquals(
        new Role("team", List.of(Grant.parse("t_*:admin"), Grant.parse("x:read")), true),
        sec.roles(OWNER).get(3));
    List<KeyInfo> keys = sec.keys(OWNER, Optional.empty());
    assertEquals(2, keys.size());
    assertEquals(
        k.info(), keys.stream().filter(i -> i.id().equals(k.info().id())).findFirst().get());
    assertEquals(1, keys.stream().filter(KeyInfo::revoked).count());
    assertEquals(6, store.list(StateStore.PREFIX).size());
    String json =
        new String(store.read(StateStore.key(6)), java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(json.contains(k.token().substring(22)), "the secret is never stored");
  }

  @Test
  void bootstrapHappensOnceAndAcceptsAGivenToken() throws Exception {
    String given = ApiKeys.token(ApiKeys.newId(), ApiKeys.newSecret());
    CreatedKey k = sec.bootstrap(Optional.of(given)).orElseThrow();
    assertEquals(given, k.token());
    Principal admin = sec.authenticate(given);
    assertEquals(new Principal("admin", Set.of("admin")), admin);
    assertTrue(sec.isSecurityAdmin(admin));
    assertTrue(sec.bootstrap(Optional.empty()).isEmpty());
    try (Security other = Security.open(store, clock)) {
      assertTrue(other.bootstrap(Optional.empty()).isEmpty());
      assertEquals(admin, other.authenticate(given));
    }
    assertThrows(AuthenticationException.class, () -> sec.bootstrap(Optional.of("not-a-key")));
  }

  @Test
  void bootstrapMakesAnExistingAdminUserAnEnabledAdministrator() throws Exception {
    sec.createUser(OWNER, "admin", List.of("reader"));
    sec.updateUser(OWNER, "admin", List.of("reader"), true);
    CreatedKey k = sec.bootstrap(Optional.empty()).orElseThrow();
    assertEquals(new Principal("admin", Set.of("reader", "admin")), sec.authenticate(k.token()));
    assertEquals(List.of("reader", "admin"), sec.users(OWNER).getFirst().roles());
  }

  @Test
  void twoInstancesChangingStateConcurrentlyLoseNothing() throws Exception {
    int perThread = 15;
    try (Security other = Security.open(store, clock)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> fs = new ArrayList<>();
      Security[] both = {sec, other};
      for (int t = 0; t < 4; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    both[thread % 2].createUser(OWNER, "u" + thread + "-" + i, List.of("reader"));
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      assertEquals(4 * perThread, other.users(OWNER).size());
      // the first instance sees the other's commits after a refresh
      sec.createUser(OWNER, "last", List.of());
      assertEquals(4 * perThread + 1, sec.users(OWNER).size());
      CreatedKey k = other.createKey(OWNER, "last", Optional.empty());
      assertEquals(
          "last", sec.authenticate(k.token()).user(), "a key made elsewhere works at once");
      assertNotEquals(0, store.list(AuditLog.PREFIX).size() + 1);
    }
  }
}
