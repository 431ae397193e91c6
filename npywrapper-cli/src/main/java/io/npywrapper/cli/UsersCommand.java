package io.npywrapper.cli;

import io.npywrapper.security.User;
import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw users add|list|remove|set}: the users of a store and their roles. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Manage users: add, list, remove, set (roles, disable, enable).",
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Remove.class,
      UsersCommand.Set.class
    })
final class UsersCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code npyw users add NAME --role R...}. */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user.")
  static final class Add extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        split = ",",
        description = "a role to hold (repeatable): admin, writer, reader or a custom role")
    List<String> roles = List.of();

    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            User u = sec.createUser(actor, name, roles);
            out().printf("created user %s, roles: %s%n", u.name(), String.join(",", u.roles()));
          });
    }
  }

  /** {@code npyw users list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
  static final class ListUsers extends SecurityCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            out().printf("%-24s %-10s %-20s %s%n", "USER", "STATUS", "CREATED", "ROLES");
            for (User u : sec.users(actor)) {
              out()
                  .printf(
                      "%-24s %-10s %-20s %s%n",
                      u.name(),
                      u.disabled() ? "disabled" : "enabled",
                      time(u.created()),
                      String.join(",", u.roles()));
            }
          });
    }
  }

  /** {@code npyw users remove NAME}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a user and revoke its keys.")
  static final class Remove extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            sec.deleteUser(actor, name);
            out().printf("removed user %s; its keys are revoked%n", name);
          });
    }
  }

  /** {@code npyw users set NAME [--role R...] [--disable|--enable]}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Replace a user's roles, or disable or enable it.")
  static final class Set extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        split = ",",
        description = "the roles to hold from now on (repeatable; replaces the old ones)")
    List<String> roles;

    @ArgGroup(exclusive = true)
    Toggle toggle;

    static final class Toggle {
      @Option(names = "--disable", required = true, description = "reject the user's keys")
      boolean disable;

      @Option(names = "--enable", required = true, description = "accept the user's keys again")
      boolean enable;
    }

    @Override
    public Integer call() throws IOException {
      if (roles == null && toggle == null) {
        throw new IllegalArgumentException("nothing to set: give --role, --disable or --enable");
      }
      return withSecurity(
          (sec, actor) -> {
            User old =
                sec.users(actor).stream()
                    .filter(u -> u.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no user '" + name + "'"));
            boolean disabled = toggle == null ? old.disabled() : toggle.disable;
            User u = sec.updateUser(actor, name, roles == null ? old.roles() : roles, disabled);
            out()
                .printf(
                    "user %s: %s, roles: %s%n",
                    u.name(), u.disabled() ? "disabled" : "enabled", String.join(",", u.roles()));
          });
    }
  }
}
