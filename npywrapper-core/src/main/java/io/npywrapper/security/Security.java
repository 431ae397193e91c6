package io.npywrapper.security;

import io.npywrapper.security.SecurityState.StoredKey;
import io.npywrapper.store.BlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Users, roles, API keys, permission checks and the audit log of one store. State lives in the
 * store under the reserved prefix {@code _security/} (no collection name can start with {@code _}),
 * versioned and committed with put-if-absent, so several processes (a server and {@code npyw keys
 * create}) may change it at the same time without losing a change; each instance sees changes of
 * others within a second (at once for a key id it does not know yet). Everything not granted is
 * denied. Management calls check {@link #requireSecurityAdmin} and are audited; denials are
 * audited.
 *
 * <p>{@link #authenticate} costs a token parse, a map lookup and one SHA-256 (see {@link ApiKeys}
 * for why no slow hash is needed): about a microsecond.
 *
 * <p>Thread-safe. Does not close the store.
 */
public final class Security implements AutoCloseable {
  /** The prefix of every blob this package writes; never a collection name. */
  public static final String PREFIX = "_security/";

  /** The principal recorded for a failed authentication that presented no key id. */
  public static final String ANONYMOUS = "anonymous";

  private static final Duration REFRESH = Duration.ofSeconds(1);
  private static final Duration AUDIT_FLUSH_DELAY = Duration.ofMillis(200);

  private final StateStore states;
  private final AuditLog audit;
  private final Clock clock;

  private Security(StateStore states, AuditLog audit, Clock clock) {
    this.states = states;
    this.audit = audit;
    this.clock = clock;
  }

  /** Opens the security state of {@code store} with the system clock. */
  public static Security open(BlobStore store) throws IOException {
    return open(store, Clock.systemUTC());
  }

  /**
   * Opens the security state of {@code store}; {@code clock} decides key expiry and audit times.
   */
  public static Security open(BlobStore store, Clock clock) throws IOException {
    return open(store, clock, StateStore.KEEP_VERSIONS);
  }

  /** As {@link #open(BlobStore, Clock)}, keeping the newest {@code keepVersions} state versions. */
  static Security open(BlobStore store, Clock clock, int keepVersions) throws IOException {
    return new Security(
        StateStore.open(store, clock, REFRESH, keepVersions),
        new AuditLog(store, AUDIT_FLUSH_DELAY),
        clock);
  }

  // ---------------------------------------------------------------- authentication and checks

  /**
   * The principal an API key token stands for.
   *
   * @throws AuthenticationException for a malformed, unknown, revoked or expired key, a wrong
   *     secret, or a missing or disabled user (audited; the message never holds the secret)
   */
  public Principal authenticate(String token) {
    return authenticate(token, null, null);
  }

  /**
   * The principal an API key token stands for, with what the caller asked for, so that a failure is
   * audited with it (a server passes the collection of the route and the request's method, path and
   * remote address).
   *
   * @param collection the collection the request concerns, or null
   * @param origin where the request came from and what it asked, e.g. {@code "GET /v1/collections
   *     from 127.0.0.1:51234"}, or null; recorded in the audit detail, asked only on a failure
   * @throws AuthenticationException as {@link #authenticate(String)}
   */
  public Principal authenticate(String token, String collection, Supplier<String> origin) {
    ApiKeys.Parsed parsed;
    try {
      parsed = ApiKeys.parse(token);
    } catch (AuthenticationException e) {
      throw refuse(ANONYMOUS, e.getMessage(), collection, origin);
    }
    SecurityState state = states.current();
    StoredKey key = state.keys.get(parsed.id());
    if (key == null) {
      try {
        state = states.refresh(); // created by another process in the last second?
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      key = state.keys.get(parsed.id());
    }
    String why =
        key == null ? "unknown API key " + parsed.id() : refusal(key, parsed.secret(), state);
    if (why != null) {
      throw refuse("key:" + parsed.id(), why, collection, origin);
    }
    User user = state.users.get(key.info().user());
    return new Principal(user.name(), new LinkedHashSet<>(user.roles()));
  }

  /** Why {@code key} presented with {@code secret} does not authenticate; null when it does. */
  private String refusal(StoredKey key, byte[] secret, SecurityState state) {
    KeyInfo info = key.info();
    if (!ApiKeys.verify(key.salt(), key.hash(), secret)) {
      return "wrong secret for API key " + info.id();
    }
    if (info.revoked()) {
      return "API key " + info.id() + " was revoked";
    }
    if (info.expiredAt(clock.instant())) {
      return "API key " + info.id() + " expired at " + info.expires().get();
    }
    User user = state.users.get(info.user());
    if (user == null) {
      return "the user '" + info.user() + "' of API key " + info.id() + " is gone";
    }
    if (user.disabled()) {
      return "the user '" + user.name() + "' of API key " + info.id() + " is disabled";
    }
    return null;
  }

  /**
   * Records a request refused before any key could be checked (no credentials, or credentials of
   * the wrong scheme) as a failed authentication of principal {@value #ANONYMOUS}, and returns the
   * exception to throw. The message must not hold a secret.
   *
   * @param why what was wrong, e.g. {@code missing Authorization header}
   * @param collection the collection the request concerns, or null
   * @param origin as for {@link #authenticate(String, String, Supplier)}, or null
   */
  public AuthenticationException refuseUnauthenticated(
      String why, String collection, Supplier<String> origin) {
    return refuse(ANONYMOUS, why, collection, origin);
  }

  private AuthenticationException refuse(
      String who, String why, String collection, Supplier<String> origin) {
    String detail = origin == null ? why : why + " (" + origin.get() + ")";
    audit.record(
        new AuditEvent(
            clock.instant(), who, "authenticate", collection, AuditEvent.DENIED, detail));
    return new AuthenticationException(why);
  }

  /** Whether {@code p} may do what {@code perm} allows on {@code collection}; not audited. */
  public boolean allowed(Principal p, String collection, Permission perm) {
    if (p.isOwner()) {
      return true;
    }
    SecurityState state = states.current();
    for (String r : p.roles()) {
      Optional<Role> role = state.role(r);
      if (role.isPresent() && role.get().allows(collection, perm)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Passes when {@code p} holds {@code perm} on {@code collection}.
   *
   * @throws AccessDeniedException naming the principal, permission and collection (audited)
   */
  public void require(Principal p, String collection, Permission perm) {
    if (!allowed(p, collection, perm)) {
      String why =
          "user '"
              + p.user()
              + "' lacks "
              + perm.label()
              + " permission on collection '"
              + collection
              + "'";
      audit.record(
          new AuditEvent(
              clock.instant(),
              p.user(),
              "require." + perm.label(),
              collection,
              AuditEvent.DENIED,
              why));
      throw new AccessDeniedException(why);
    }
  }

  /** Whether {@code p} may manage users, roles and keys and read the audit log. */
  public boolean isSecurityAdmin(Principal p) {
    if (p.isOwner()) {
      return true;
    }
    SecurityState state = states.current();
    return p.roles().stream()
        .map(state::role)
        .flatMap(Optional::stream)
        .anyMatch(Role::manageSecurity);
  }

  /**
   * Passes when {@code p} may manage security.
   *
   * @throws AccessDeniedException otherwise (audited)
   */
  public void requireSecurityAdmin(Principal p) {
    if (!isSecurityAdmin(p)) {
      String why = "user '" + p.user() + "' may not manage users, roles, keys or the audit log";
      audit.record(
          new AuditEvent(
              clock.instant(), p.user(), "require.manage_security", null, AuditEvent.DENIED, why));
      throw new AccessDeniedException(why);
    }
  }

  // ---------------------------------------------------------------- users

  /**
   * Creates a user.
   *
   * @throws IllegalArgumentException for an invalid name, a taken name or an unknown role
   */
  public User createUser(Principal actor, String name, List<String> roles) throws IOException {
    requireSecurityAdmin(actor);
    Names.check("user", name);
    User made = new User(name, roles, clock.instant(), false);
    states.commit(actor.user(), "user.create " + name, Changes.createUser(made));
    changed(actor, "user.create", name + " roles=" + roles);
    return made;
  }

  /**
   * Replaces a user's roles and disabled flag.
   *
   * @throws NoSuchElementException when there is no such user
   * @throws IllegalArgumentException for an unknown role
   */
  public User updateUser(Principal actor, String name, List<String> roles, boolean disabled)
      throws IOException {
    requireSecurityAdmin(actor);
    SecurityState after =
        states.commit(
            actor.user(), "user.update " + name, Changes.updateUser(name, roles, disabled));
    changed(actor, "user.update", name + " roles=" + roles + " disabled=" + disabled);
    return after.users.get(name);
  }

  /**
   * Deletes a user and revokes its keys.
   *
   * @throws NoSuchElementException when there is no such user
   */
  public void deleteUser(Principal actor, String name) throws IOException {
    requireSecurityAdmin(actor);
    states.commit(actor.user(), "user.delete " + name, Changes.deleteUser(name));
    changed(actor, "user.delete", name);
  }

  /** Every user, by name, as of now (reads the newest state). */
  public List<User> users(Principal actor) throws IOException {
    requireSecurityAdmin(actor);
    return new ArrayList<>(new java.util.TreeMap<>(states.refresh().users).values());
  }

  // ---------------------------------------------------------------- roles

  /**
   * Creates or replaces a custom role.
   *
   * @throws IllegalArgumentException for a built-in role's name
   */
  public Role putRole(Principal actor, Role role) throws IOException {
    requireSecurityAdmin(actor);
    if (Role.isBuiltIn(role.name())) {
      throw new IllegalArgumentException(
          "role '" + role.name() + "' is built in and cannot change");
    }
    states.commit(
        actor.user(), "role.put " + role.name(), (base, next) -> next.roles.put(role.name(), role));
    changed(
        actor,
        "role.put",
        role.name() + " grants=" + role.grants() + " manage_security=" + role.manageSecurity());
    return role;
  }

  /**
   * Deletes a custom role.
   *
   * @throws NoSuchElementException when there is no such custom role
   * @throws IllegalArgumentException for a built-in role or one that users still hold
   */
  public void deleteRole(Principal actor, String name) throws IOException {
    requireSecurityAdmin(actor);
    if (Role.isBuiltIn(name)) {
      throw new IllegalArgumentException("role '" + name + "' is built in and cannot be removed");
    }
    states.commit(actor.user(), "role.delete " + name, Changes.deleteRole(name));
    changed(actor, "role.delete", name);
  }

  /** The built-in roles, then the custom ones, by name, as of now. */
  public List<Role> roles(Principal actor) throws IOException {
    requireSecurityAdmin(actor);
    List<Role> out = new ArrayList<>(Role.BUILT_IN);
    out.addAll(new java.util.TreeMap<>(states.refresh().roles).values());
    return out;
  }

  // ---------------------------------------------------------------- keys

  /**
   * Creates an API key for {@code user}, valid for {@code ttl} if given. The returned token is the
   * only copy of the secret.
   *
   * @throws NoSuchElementException when there is no such user
   * @throws IllegalArgumentException for a ttl that is not positive
   */
  public CreatedKey createKey(Principal actor, String user, Optional<Duration> ttl)
      throws IOException {
    requireSecurityAdmin(actor);
    if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
      throw new IllegalArgumentException("a key's lifetime must be positive, got " + ttl.get());
    }
    CreatedKey created = newKey(user, ttl, ApiKeys.newId(), ApiKeys.newSecret());
    states.commit(actor.user(), "key.create " + created.info().id(), Changes.addKey(created));
    changed(
        actor,
        "key.create",
        created.info().id()
            + " user="
            + user
            + created.info().expires().map(e -> " expires=" + e).orElse(""));
    return created;
  }

  private CreatedKey newKey(String user, Optional<Duration> ttl, String id, byte[] secret) {
    Instant now = clock.instant();
    KeyInfo info = new KeyInfo(id, user, now, ttl.map(now::plus), false);
    return new CreatedKey(info, ApiKeys.token(id, secret));
  }

  /**
   * Revokes a key; it is rejected by every process within a second.
   *
   * @throws NoSuchElementException when there is no such key
   */
  public void revokeKey(Principal actor, String keyId) throws IOException {
    requireSecurityAdmin(actor);
    states.commit(actor.user(), "key.revoke " + keyId, Changes.revokeKey(keyId));
    changed(actor, "key.revoke", keyId);
  }

  /** Every key (of {@code user} if given), by creation time, as of now. */
  public List<KeyInfo> keys(Principal actor, Optional<String> user) throws IOException {
    requireSecurityAdmin(actor);
    return states.refresh().keys.values().stream()
        .map(StoredKey::info)
        .filter(k -> user.isEmpty() || k.user().equals(user.get()))
        .sorted(java.util.Comparator.comparing(KeyInfo::created).thenComparing(KeyInfo::id))
        .toList();
  }

  // ---------------------------------------------------------------- bootstrap and audit

  /**
   * On a store never bootstrapped: creates user {@code admin} with role {@code admin} (a user
   * {@code admin} made before by the owner is enabled and given role {@code admin} if it lacks it)
   * and a key for it, the given token's (e.g. from env {@code NPYW_ADMIN_KEY}, which must have the
   * token format) or a new random one. Empty when the store was bootstrapped before (by any
   * process).
   *
   * @throws AuthenticationException when the given token is malformed (it is not echoed)
   */
  public Optional<CreatedKey> bootstrap(Optional<String> adminToken) throws IOException {
    ApiKeys.Parsed given = adminToken.map(ApiKeys::parse).orElse(null);
    CreatedKey key =
        given != null
            ? newKey("admin", Optional.empty(), given.id(), given.secret())
            : newKey("admin", Optional.empty(), ApiKeys.newId(), ApiKeys.newSecret());
    if (states.refresh().bootstrapped) {
      return Optional.empty();
    }
    try {
      states.commit(
          "bootstrap",
          "bootstrap",
          (base, next) -> {
            if (base.bootstrapped) {
              throw new AlreadyBootstrapped();
            }
            next.bootstrapped = true;
            next.users.put("admin", Changes.bootstrapAdmin(next.users.get("admin"), key));
            Changes.addKey(key).apply(base, next);
          });
    } catch (AlreadyBootstrapped e) {
      return Optional.empty(); // another process bootstrapped first
    }
    audit.record(
        new AuditEvent(
            clock.instant(),
            "bootstrap",
            "bootstrap",
            null,
            AuditEvent.OK,
            "user admin, key " + key.info().id()));
    return Optional.of(key);
  }

  /** Aborts a bootstrap commit that lost to another process's. */
  private static final class AlreadyBootstrapped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlreadyBootstrapped() {
      super(null, null, false, false);
    }
  }

  /** The audit log of this store. */
  public AuditLog audit() {
    return audit;
  }

  private void changed(Principal actor, String action, String detail) {
    audit.record(
        new AuditEvent(clock.instant(), actor.user(), action, null, AuditEvent.OK, detail));
  }

  /** Flushes the audit log. Does not close the store. */
  @Override
  public void close() throws IOException {
    audit.close();
  }
}
