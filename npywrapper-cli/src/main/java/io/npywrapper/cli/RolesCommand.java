package io.npywrapper.cli;

import io.npywrapper.security.Grant;
import io.npywrapper.security.Role;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw roles put|list|remove}: custom roles and their grants. */
@Command(
    name = "roles",
    mixinStandardHelpOptions = true,
    description = "Manage roles: put (create or replace), list, remove.",
    subcommands = {RolesCommand.Put.class, RolesCommand.ListRoles.class, RolesCommand.Remove.class})
final class RolesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code npyw roles put NAME --grant 'PATTERN:read|write|admin'... [--manage-security]}. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Create or replace a custom role.")
  static final class Put extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--grant",
        paramLabel = "PATTERN:PERMISSION",
        description =
            "a grant (repeatable): a collection name, '*' or a prefix like 'logs_*', then"
                + " ':read', ':write' or ':admin'")
    List<String> grants = List.of();

    @Option(names = "--manage-security", description = "may manage users, roles, keys and audit")
    boolean manageSecurity;

    @Override
    public Integer call() throws IOException {
      List<Grant> parsed = grants.stream().map(Grant::parse).toList();
      Role role = new Role(name, parsed, manageSecurity);
      return withSecurity(
          (sec, actor) -> {
            sec.putRole(actor, role);
            out().printf("role %s: %s%n", role.name(), describe(role));
          });
    }
  }

  /** {@code npyw roles list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the roles.")
  static final class ListRoles extends SecurityCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            out().printf("%-24s %-9s %s%n", "ROLE", "KIND", "GRANTS");
            for (Role r : sec.roles(actor)) {
              out()
                  .printf(
                      "%-24s %-9s %s%n",
                      r.name(), Role.isBuiltIn(r.name()) ? "built-in" : "custom", describe(r));
            }
          });
    }
  }

  /** {@code npyw roles remove NAME}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a custom role.")
  static final class Remove extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            sec.deleteRole(actor, name);
            out().printf("removed role %s%n", name);
          });
    }
  }

  static String describe(Role r) {
    String grants =
        r.grants().isEmpty()
            ? "(no grants)"
            : String.join(" ", r.grants().stream().map(Grant::toString).toList());
    return r.manageSecurity() ? grants + " +manage-security" : grants;
  }
}
