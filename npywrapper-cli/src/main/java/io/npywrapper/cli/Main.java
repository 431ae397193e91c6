package io.npywrapper.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code npyw} command: parses arguments with picocli and dispatches to a subcommand. Errors a
 * user can fix print one line on standard error and exit 1 (2 for a usage error); no stack trace
 * unless {@code NPYW_DEBUG} is set.
 */
@Command(
    name = "npyw",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "npyWrapper: plain NumPy .npy files as a vector store.",
    subcommands = {
      ImportCommand.class,
      InfoCommand.class,
      AlterCommand.class,
      PropsCommand.class,
      SegmentsCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      QueryCommand.class,
      CompactCommand.class,
      VersionsCommand.class,
      ServeCommand.class,
      NpyCommand.class,
      DemoCommand.class,
      UsersCommand.class,
      RolesCommand.class,
      KeysCommand.class,
      AuditCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @Option(
      names = "--store",
      paramLabel = "URI",
      description =
          "Store root: a directory (default ./npyw-data, or env NPYW_STORE). Used by the"
              + " collection commands.",
      scope = CommandLine.ScopeType.INHERIT)
  String store = System.getenv().getOrDefault("NPYW_STORE", "npyw-data");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with npyw's error handling, for the launcher and for tests. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(new Errors());
    return cl;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = commandLine(out, err).execute(args);
    out.flush();
    System.exit(code);
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "npyw " + (v == null ? "(development build)" : v),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
      };
    }
  }
}
