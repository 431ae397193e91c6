package io.npywrapper.security;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit log. Immutable.
 *
 * @param time when it happened
 * @param principal who acted ({@link Principal#user()}, or the key id for a failed authentication)
 * @param action what was attempted, e.g. {@code add}, {@code drop}, {@code user.create}
 * @param collection the collection concerned, or null when none
 * @param outcome {@code ok}, {@code denied} or {@code failed}
 * @param detail a short human-readable detail (never a secret), possibly empty
 */
public record AuditEvent(
    Instant time,
    String principal,
    String action,
    String collection,
    String outcome,
    String detail) {
  public static final String OK = "ok";
  public static final String DENIED = "denied";
  public static final String FAILED = "failed";

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? "" : detail;
  }
}
