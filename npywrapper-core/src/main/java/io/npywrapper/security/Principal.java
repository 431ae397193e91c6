package io.npywrapper.security;

import java.util.Objects;
import java.util.Set;

/**
 * Who is acting: an authenticated user with its role names, or the owner of the store (the embedded
 * application or the command line with local file access), which is unrestricted. {@link #user()}
 * is what the audit log records. Immutable.
 *
 * @param user the user name, or for the owner a label such as {@code owner} or {@code cli:alice}
 * @param roles the role names whose grants apply (ignored for the owner)
 * @param isOwner whether this is the unrestricted owner
 */
public record Principal(String user, Set<String> roles, boolean isOwner) {
  private static final Principal OWNER = new Principal("owner", Set.of(), true);

  public Principal {
    Objects.requireNonNull(user, "user");
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
  }

  /** A user principal (not the owner). */
  public Principal(String user, Set<String> roles) {
    this(user, roles, false);
  }

  /** The owner, unrestricted, audited as {@code owner}. */
  public static Principal owner() {
    return OWNER;
  }

  /** The owner, unrestricted, audited as {@code label} (e.g. {@code cli:alice}). */
  public static Principal owner(String label) {
    return new Principal(label, Set.of(), true);
  }
}
