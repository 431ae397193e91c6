package io.npywrapper.cli;

import io.npywrapper.Database;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Base of the commands that manage users, roles, keys and the audit log. The command line has local
 * access to the store, so it acts as the owner; every change it makes is audited as {@code cli:<os
 * user>}.
 */
abstract class SecurityCommand extends DatabaseCommand {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** The work of one command. */
  interface Body {
    void run(Security security, Principal actor) throws IOException;
  }

  /** Opens the store, runs {@code body}, closes (flushing the audit log); exit code 0. */
  int withSecurity(Body body) throws IOException {
    try (Database db = openDatabase()) {
      body.run(db.security(), actor());
    }
    return 0;
  }

  /** The owner, labelled with the OS user for the audit log. */
  static Principal actor() {
    return Principal.owner("cli:" + System.getProperty("user.name", "unknown"));
  }

  static String time(Instant t) {
    return TIME.format(t);
  }
}
