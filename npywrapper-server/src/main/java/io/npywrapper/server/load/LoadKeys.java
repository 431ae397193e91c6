package io.npywrapper.server.load;

import io.npywrapper.Database;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import io.npywrapper.security.User;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * API keys for load clients of a server running over {@code db} in this process: bootstraps the
 * admin on a fresh store, makes sure a user with the wanted built-in role exists ({@code
 * load-reader} with role {@code reader}, {@code load-writer} with role {@code writer}) and creates
 * a short-lived key for it. Stateless; thread-safe as {@link Security} is.
 */
public final class LoadKeys {
  private LoadKeys() {}

  /** A fresh token of a user holding only the built-in {@code reader} role. */
  public static String reader(Database db, Duration ttl) throws IOException {
    return keyFor(db, "load-reader", "reader", ttl);
  }

  /** A fresh token of a user holding only the built-in {@code writer} role. */
  public static String writer(Database db, Duration ttl) throws IOException {
    return keyFor(db, "load-writer", "writer", ttl);
  }

  private static String keyFor(Database db, String user, String role, Duration ttl)
      throws IOException {
    Security security = db.security();
    security.bootstrap(Optional.empty());
    Principal owner = Principal.owner("load-test");
    List<User> users = security.users(owner);
    if (users.stream().noneMatch(u -> u.name().equals(user))) {
      security.createUser(owner, user, List.of(role));
    }
    return security.createKey(owner, user, Optional.of(ttl)).token();
  }
}
