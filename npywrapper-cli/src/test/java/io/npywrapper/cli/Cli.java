package io.npywrapper.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code npyw} command in-process and captures what it prints. */
record Cli(int exitCode, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
