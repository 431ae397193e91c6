package io.npywrapper.security;

import io.npywrapper.security.SecurityState.StoredKey;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The changes {@link Security} commits, each checked against the newest state it is applied to (so
 * a rebased change re-checks). Stateless and thread-safe.
 */
final class Changes {
  private Changes() {}

  static StateStore.Change createUser(User made) {
    return (base, next) -> {
      if (next.users.containsKey(made.name())) {
        throw new IllegalArgumentException("user '" + made.name() + "' exists");
      }
      checkRoles(base, made.roles());
      next.users.put(made.name(), made);
    };
  }

  static StateStore.Change updateUser(String name, List<String> roles, boolean disabled) {
    return (base, next) -> {
      User old = next.users.get(name);
      if (old == null) {
        throw new NoSuchElementException("no user '" + name + "'");
      }
      checkRoles(base, roles);
      next.users.put(name, new User(name, roles, old.created(), disabled));
    };
  }

  /** Removes the user and revokes its keys. */
  static StateStore.Change deleteUser(String name) {
    return (base, next) -> {
      if (next.users.remove(name) == null) {
        throw new NoSuchElementException("no user '" + name + "'");
      }
      next.keys.replaceAll((id, k) -> k.info().user().equals(name) ? revoked(k) : k);
    };
  }

  static StateStore.Change deleteRole(String name) {
    return (base, next) -> {
      if (!next.roles.containsKey(name)) {
        throw new NoSuchElementException("no role '" + name + "'");
      }
      List<String> holders =
          next.users.values().stream()
              .filter(u -> u.roles().contains(name))
              .map(User::name)
              .sorted()
              .toList();
      if (!holders.isEmpty()) {
        throw new IllegalArgumentException(
            "role '" + name + "' is held by users " + holders + "; take it from them first");
      }
      next.roles.remove(name);
    };
  }

  static StateStore.Change addKey(CreatedKey created) {
    StoredKey stored = stored(created);
    return (base, next) -> {
      if (!next.users.containsKey(created.info().user())) {
        throw new NoSuchElementException("no user '" + created.info().user() + "'");
      }
      if (next.keys.containsKey(created.info().id())) {
        throw new IllegalStateException(
            "API key id " + created.info().id() + " is taken; create the key again");
      }
      next.keys.put(created.info().id(), stored);
    };
  }

  static StateStore.Change revokeKey(String keyId) {
    return (base, next) -> {
      StoredKey k = next.keys.get(keyId);
      if (k == null) {
        throw new NoSuchElementException("no API key '" + keyId + "'");
      }
      next.keys.put(keyId, revoked(k));
    };
  }

  /** User {@code admin} after bootstrap: {@code existing} (if any) enabled, with role admin. */
  static User bootstrapAdmin(User existing, CreatedKey key) {
    if (existing == null) {
      return new User("admin", List.of("admin"), key.info().created(), false);
    }
    List<String> roles = new java.util.ArrayList<>(existing.roles());
    if (!roles.contains("admin")) {
      roles.add("admin");
    }
    return new User("admin", roles, existing.created(), false);
  }

  /** A new key's stored form: a fresh salt and the hash of its secret. */
  static StoredKey stored(CreatedKey k) {
    byte[] salt = ApiKeys.newSalt();
    byte[] secret = ApiKeys.parse(k.token()).secret();
    return new StoredKey(k.info(), salt, ApiKeys.hash(salt, secret));
  }

  private static StoredKey revoked(StoredKey k) {
    KeyInfo i = k.info();
    return new StoredKey(
        new KeyInfo(i.id(), i.user(), i.created(), i.expires(), true), k.salt(), k.hash());
  }

  private static void checkRoles(SecurityState base, List<String> roles) {
    for (String r : roles) {
      if (base.role(r).isEmpty()) {
        throw new IllegalArgumentException(
            "unknown role '"
                + r
                + "'; create it first (npyw roles put) or use admin, writer,"
                + " reader");
      }
    }
  }
}
