package io.npywrapper.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user: a name, the roles it holds, when it was created, and whether it is disabled (a disabled
 * user's keys are rejected). Immutable.
 */
public record User(String name, List<String> roles, Instant created, boolean disabled) {
  public User {
    Names.check("user", name);
    roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    for (String r : roles) {
      Names.check("role", r);
    }
    Objects.requireNonNull(created, "created");
  }
}
