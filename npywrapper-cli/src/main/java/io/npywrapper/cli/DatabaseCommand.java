package io.npywrapper.cli;

import io.npywrapper.Database;
import io.npywrapper.collection.IndexOptions;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Base of the commands that work on a store: opens the {@link Database} named by {@code --store}
 * (default {@code ./npyw-data} or {@code NPYW_STORE}). A command runs for a moment, so graph
 * indexes are not built in the background (a build would be abandoned at exit and slow the command
 * down); {@code npyw index} builds them.
 */
abstract class DatabaseCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  Database openDatabase() throws IOException {
    Main main = (Main) spec.root().userObject();
    return Database.open(
        main.store,
        Database.defaultOptions().withIndex(IndexOptions.defaults().withBackground(false)));
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
