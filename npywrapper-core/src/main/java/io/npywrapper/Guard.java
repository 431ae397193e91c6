package io.npywrapper;

import io.npywrapper.security.AuditEvent;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import java.time.Instant;

/**
 * The permission checks and write auditing of a {@link Database} view opened as a principal; the
 * owner's guard lets everything through and audits nothing. Immutable and thread-safe.
 */
final class Guard {
  static final Guard OWNER = new Guard(null, Principal.owner());

  private final Security security;
  private final Principal principal;

  Guard(Security security, Principal principal) {
    this.security = security;
    this.principal = principal;
  }

  Principal principal() {
    return principal;
  }

  boolean isOwner() {
    return principal.isOwner();
  }

  /** Passes when the principal holds {@code perm} on {@code collection}; audits a denial. */
  void check(String collection, Permission perm) {
    if (!principal.isOwner()) {
      security.require(principal, collection, perm);
    }
  }

  boolean allows(String collection, Permission perm) {
    return principal.isOwner() || security.allowed(principal, collection, perm);
  }

  /** Records a write the principal made (not for the plain, unlabelled owner). */
  void wrote(String action, String collection, String detail) {
    if (security != null) {
      security
          .audit()
          .record(
              new AuditEvent(
                  Instant.now(), principal.user(), action, collection, AuditEvent.OK, detail));
    }
  }
}
