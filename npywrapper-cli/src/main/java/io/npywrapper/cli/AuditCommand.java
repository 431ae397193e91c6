package io.npywrapper.cli;

import io.npywrapper.security.AuditEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code npyw audit [--since 1h] [--limit N] [--json]}: the newest audit events (writes, security
 * changes, denials), oldest first.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Show the audit log: writes, permission changes and denials.")
final class AuditCommand extends SecurityCommand implements Callable<Integer> {
  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "how far back, e.g. 1h, 7d (default: 24h)")
  String since = "24h";

  @Option(names = "--limit", paramLabel = "N", description = "at most the N newest (default 100)")
  int limit = 100;

  @Option(names = "--json", description = "one JSON object per line")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
    }
    Instant now = Instant.now();
    Instant from = now.minus(CompactCommand.parseDuration(since));
    return withSecurity(
        (sec, actor) -> {
          sec.requireSecurityAdmin(actor);
          List<AuditEvent> all = sec.audit().read(from, now.plusSeconds(1), Integer.MAX_VALUE);
          for (AuditEvent e : all.subList(Math.max(0, all.size() - limit), all.size())) {
            out().println(json ? toJson(e) : toText(e));
          }
        });
  }

  static String toText(AuditEvent e) {
    return String.format(
        "%s  %-20s %-24s %-16s %-7s %s",
        e.time(),
        e.principal(),
        e.action(),
        e.collection() == null ? "-" : e.collection(),
        e.outcome(),
        e.detail());
  }

  static String toJson(AuditEvent e) {
    return "{\"time\":"
        + Json.quote(e.time().toString())
        + ",\"principal\":"
        + Json.quote(e.principal())
        + ",\"action\":"
        + Json.quote(e.action())
        + ",\"collection\":"
        + (e.collection() == null ? "null" : Json.quote(e.collection()))
        + ",\"outcome\":"
        + Json.quote(e.outcome())
        + ",\"detail\":"
        + Json.quote(e.detail())
        + "}";
  }
}
