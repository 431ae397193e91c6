package io.npywrapper.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The public facts of an API key (never its secret or hash). Immutable.
 *
 * @param id the public key id (16 lower-case hex digits), part of the token
 * @param user the user the key authenticates as
 * @param created when it was created
 * @param expires when it stops working, if ever
 * @param revoked whether it was revoked
 */
public record KeyInfo(
    String id, String user, Instant created, Optional<Instant> expires, boolean revoked) {
  public KeyInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
  }

  /** Whether the key is expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expires.isPresent() && !now.isBefore(expires.get());
  }
}
