package io.npywrapper.cli;

import io.npywrapper.Database;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Base of the commands that work on a store: opens the {@link Database} named by {@code --store}
 * (default {@code ./npyw-data} or {@code NPYW_STORE}).
 */
abstract class DatabaseCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  Database openDatabase() throws IOException {
    Main main = (Main) spec.root().userObject();
    return Database.open(main.store);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
