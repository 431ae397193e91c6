package io.npywrapper.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code npyw npy ...}: tools for single {@code .npy} files. */
@Command(
    name = "npy",
    mixinStandardHelpOptions = true,
    description = "Inspect and convert single .npy files.",
    subcommands = {NpyInfoCommand.class, NpyConvertCommand.class})
final class NpyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
