package io.npywrapper.cli;

import io.npywrapper.Database;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.security.AuditEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine;

/**
 * Base of the commands that work on a store: opens the {@link Database} named by {@code --store}
 * (default {@code ./npyw-data} or {@code NPYW_STORE}). A command runs for a moment, so graph
 * indexes are not built in the background (a build would be abandoned at exit and slow the command
 * down); {@code npyw index} builds them. Commands that change data open it with {@link
 * #openForChanges}: unrestricted (local access is the owner) but audited as {@code cli:<os user>}.
 */
abstract class DatabaseCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  Database openDatabase() throws IOException {
    return Database.open(store(), options());
  }

  /** The database as the owner labelled {@code cli:<os user>}: its writes are audited. */
  Database openForChanges() throws IOException {
    return Database.open(store(), options(), SecurityCommand.actor());
  }

  /** Records a change made outside the collection facade (an import, a vacuum). */
  static void audit(Database db, String action, String collection, String detail)
      throws IOException {
    db.security()
        .audit()
        .record(
            new AuditEvent(
                Instant.now(), db.principal().user(), action, collection, AuditEvent.OK, detail));
  }

  private String store() {
    return ((Main) spec.root().userObject()).store;
  }

  private static EngineOptions options() {
    return Database.defaultOptions().withIndex(IndexOptions.defaults().withBackground(false));
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
