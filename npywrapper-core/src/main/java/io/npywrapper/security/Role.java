package io.npywrapper.security;

import java.util.List;
import java.util.Objects;

/**
 * A named set of grants, and whether it may manage users, roles and keys. Three roles are built in
 * and cannot be changed or removed: {@code admin} (admin on every collection, manages security),
 * {@code writer} (write on every collection) and {@code reader} (read on every collection).
 * Immutable.
 *
 * @param name 1-64 letters, digits, {@code _.@-}, starting with a letter or digit
 * @param grants what the role allows; everything else is denied
 * @param manageSecurity whether holders may manage users, roles and keys and read the audit log
 */
public record Role(String name, List<Grant> grants, boolean manageSecurity) {
  /** The built-in administrator role. */
  public static final Role ADMIN =
      new Role("admin", List.of(new Grant("*", Permission.ADMIN)), true);

  /** The built-in role that writes (and reads) every collection. */
  public static final Role WRITER =
      new Role("writer", List.of(new Grant("*", Permission.WRITE)), false);

  /** The built-in role that reads every collection. */
  public static final Role READER =
      new Role("reader", List.of(new Grant("*", Permission.READ)), false);

  /** The built-in roles, by name order. */
  public static final List<Role> BUILT_IN = List.of(ADMIN, READER, WRITER);

  public Role {
    Names.check("role", name);
    grants = List.copyOf(Objects.requireNonNull(grants, "grants"));
  }

  /** Whether {@code name} is a built-in role. */
  public static boolean isBuiltIn(String name) {
    return BUILT_IN.stream().anyMatch(r -> r.name().equals(name));
  }

  /** Whether this role allows {@code wanted} on {@code collection}. */
  public boolean allows(String collection, Permission wanted) {
    for (Grant g : grants) {
      if (g.allows(collection, wanted)) {
        return true;
      }
    }
    return false;
  }
}
