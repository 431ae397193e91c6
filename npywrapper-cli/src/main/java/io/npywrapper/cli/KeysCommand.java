package io.npywrapper.cli;

import io.npywrapper.security.CreatedKey;
import io.npywrapper.security.KeyInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw keys create|list|revoke}: API keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage API keys: create (shown once), list, revoke.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code npyw keys create USER [--expires 30d]}: prints the token once. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an API key for a user and print its token (shown only this once).")
  static final class Create extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "USER")
    String user;

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "lifetime, e.g. 30d, 12h, 90m (default: never expires)")
    String expires;

    @Override
    public Integer call() throws IOException {
      Optional<Duration> ttl =
          expires == null ? Optional.empty() : Optional.of(CompactCommand.parseDuration(expires));
      return withSecurity(
          (sec, actor) -> {
            CreatedKey k = sec.createKey(actor, user, ttl);
            out().println(k.token());
            out().flush();
            err()
                .printf(
                    "npyw: key %s for user %s%s. The token above is shown only now and is not"
                        + " stored: copy it to a safe place.%n",
                    k.info().id(),
                    user,
                    k.info().expires().map(e -> ", expires " + time(e)).orElse(", never expires"));
          });
    }
  }

  /** {@code npyw keys list [--user U]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List API keys (never their secrets).")
  static final class ListKeys extends SecurityCommand implements Callable<Integer> {
    @Option(names = "--user", paramLabel = "USER", description = "only this user's keys")
    String user;

    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            Instant now = Instant.now();
            out()
                .printf(
                    "%-16s  %-24s %-8s %-20s %s%n", "ID", "USER", "STATUS", "CREATED", "EXPIRES");
            for (KeyInfo k : sec.keys(actor, Optional.ofNullable(user))) {
              String status = k.revoked() ? "revoked" : k.expiredAt(now) ? "expired" : "active";
              out()
                  .printf(
                      "%-16s  %-24s %-8s %-20s %s%n",
                      k.id(),
                      k.user(),
                      status,
                      time(k.created()),
                      k.expires().map(SecurityCommand::time).orElse("never"));
            }
          });
    }
  }

  /** {@code npyw keys revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key.")
  static final class Revoke extends SecurityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws IOException {
      return withSecurity(
          (sec, actor) -> {
            sec.revokeKey(actor, id);
            out().printf("revoked key %s%n", id);
          });
    }
  }
}
