package io.npywrapper.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code npyw-bench.jar}: {@code java --add-modules jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED -jar npyw-bench.jar COMMAND [options]} with COMMAND {@code
 * io}, {@code collection}, {@code filter}, {@code quant}, {@code auth}, {@code http-vs-embedded} or
 * {@code http-load}. Progress goes to standard error; tables and {@code RESULT} JSON lines go to
 * standard output.
 */
public final class BenchMain {
  private static final String USAGE =
      """
      usage: java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \\
                  -jar npyw-bench.jar COMMAND [options]
      commands:
        io          open latency, mapped-sum and write throughput vs numpy on one large file
        collection  import vs np.save, collection open time, durable upserts
        filter      indexed vs row-by-row filter selection, segment pruning [DIR] [ROWS] [SEGMENTS]
        quant       Lucene HNSW over float32 rows vs over int8 codes + exact re-ranking
        auth        cost of Security.authenticate and allowed per call [BATCHES]
        http-vs-embedded  the same k-NN queries over HTTP and through the embedded API
        http-load   concurrent query and writer clients against a running server
        help        this text
      """;

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the process exit code (0 ok, 1 failure, 2 usage). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      out.print(USAGE);
      out.println();
      out.print(IoOptions.USAGE);
      out.println();
      out.print(CollectionBenchmark.USAGE);
      out.println();
      out.print(QuantBenchmark.USAGE);
      out.println();
      out.print(HttpVsEmbeddedBenchmark.USAGE);
      out.println();
      out.print(HttpLoadCommand.USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equals("collection")
        || args[0].equals("filter")
        || args[0].equals("auth")
        || args[0].equals("http-vs-embedded")
        || args[0].equals("http-load")) {
      return runEngineBenchmark(args[0], rest, out, err);
    }
    if (args[0].equals("quant")) {
      return runQuant(rest, out, err);
    }
    if (!args[0].equals("io")) {
      err.println("unknown command " + args[0]);
      err.print(USAGE);
      return 2;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      err.println("the Vector API is missing: run java with --add-modules jdk.incubator.vector");
      return 2;
    }
    IoOptions options;
    try {
      options = IoOptions.parse(rest);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(IoOptions.USAGE);
      return 2;
    }
    try {
      new IoBenchmark(options, err).run().print(out);
      return 0;
    } catch (Exception e) {
      err.println("benchmark failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static int runQuant(String[] rest, PrintStream out, PrintStream err) {
    QuantBenchmark b;
    try {
      b = new QuantBenchmark(rest, err);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(QuantBenchmark.USAGE);
      return 2;
    }
    try {
      b.run(out);
      return 0;
    } catch (Exception e) {
      err.println("benchmark failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static int runEngineBenchmark(
      String command, String[] rest, PrintStream out, PrintStream err) {
    try {
      if (command.equals("collection")) {
        CollectionBenchmark b;
        try {
          b = new CollectionBenchmark(rest, err);
        } catch (IllegalArgumentException e) {
          err.println(e.getMessage());
          err.print(CollectionBenchmark.USAGE);
          return 2;
        }
        b.run(out);
      } else if (command.equals("http-vs-embedded")) {
        HttpVsEmbeddedBenchmark b;
        try {
          b = new HttpVsEmbeddedBenchmark(rest, err);
        } catch (IllegalArgumentException e) {
          err.println(e.getMessage());
          err.print(HttpVsEmbeddedBenchmark.USAGE);
          return 2;
        }
        b.run(out);
      } else if (command.equals("http-load")) {
        HttpLoadCommand b;
        try {
          b = new HttpLoadCommand(rest, err);
        } catch (IllegalArgumentException e) {
          err.println(e.getMessage());
          err.print(HttpLoadCommand.USAGE);
          return 2;
        }
        return b.run(out);
      } else if (command.equals("auth")) {
        AuthBenchmark.run(rest, out, err);
      } else {
        FilterBenchmark.main(rest);
      }
      return 0;
    } catch (Exception e) {
      err.println("benchmark failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }
}
