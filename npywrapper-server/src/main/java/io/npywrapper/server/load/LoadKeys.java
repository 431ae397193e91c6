package io.npywrapper.server.load;

import io.npywrapper.Database;
import io.npywrapper.security.CreatedKey;
import io.npywrapper.security.Principal;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * API keys for load clients, made the way an operator makes them: the bootstrap admin's key (from
 * {@link io.npywrapper.security.Security#bootstrap} on a fresh store, else a new key of user {@code
 * admin} made by the owner), then users and keys over the server's admin endpoints ({@code POST
 * /v1/users}, {@code POST /v1/keys}) with that key. Stateless; thread-safe.
 */
public final class LoadKeys {
  private LoadKeys() {}

  /** A key of the security administrator {@code admin} of the store {@code db} is open on. */
  public static String admin(Database db, Duration ttl) throws IOException {
    Optional<CreatedKey> boot = db.security().bootstrap(Optional.empty());
    if (boot.isPresent()) {
      return boot.get().token();
    }
    return db.security().createKey(Principal.owner("load-test"), "admin", Optional.of(ttl)).token();
  }

  /**
   * A fresh key of {@code user}, created over HTTP with {@code adminToken}; the user is created
   * first with the single role {@code role} when the server does not know it.
   *
   * @throws IOException when the server refuses (the message holds its answer)
   */
  public static String create(URI base, String adminToken, String user, String role, Duration ttl)
      throws IOException, InterruptedException {
    try (LoadHttp http = new LoadHttp(base, adminToken)) {
      LoadHttp.Answer users = http.get("/v1/users");
      check(users, "GET /v1/users");
      boolean known = false;
      for (var u : users.json().path("users")) {
        known |= u.path("name").asText().equals(user);
      }
      if (!known) {
        check(
            http.post("/v1/users", "{\"name\":\"" + user + "\",\"roles\":[\"" + role + "\"]}"),
            "POST /v1/users");
      }
      LoadHttp.Answer key =
          http.post(
              "/v1/keys",
              "{\"user\":\"" + user + "\",\"ttl_seconds\":" + Math.max(1, ttl.toSeconds()) + "}");
      check(key, "POST /v1/keys");
      String token = key.json().path("token").asText("");
      if (token.isEmpty()) {
        throw new IOException("POST /v1/keys answered no token: " + key.describe());
      }
      return token;
    }
  }

  /** A key of user {@code load-reader} (built-in role {@code reader}), made over HTTP. */
  public static String reader(URI base, String adminToken, Duration ttl)
      throws IOException, InterruptedException {
    return create(base, adminToken, "load-reader", "reader", ttl);
  }

  /** A key of user {@code load-writer} (built-in role {@code writer}), made over HTTP. */
  public static String writer(URI base, String adminToken, Duration ttl)
      throws IOException, InterruptedException {
    return create(base, adminToken, "load-writer", "writer", ttl);
  }

  private static void check(LoadHttp.Answer a, String what) throws IOException {
    if (!a.ok()) {
      throw new IOException(what + " answered " + a.describe());
    }
  }
}
