package io.npywrapper.bench;

import io.npywrapper.bench.ann.AnnBenchmark;
import io.npywrapper.bench.ann.AnnOptions;
import io.npywrapper.bench.ann.ScanFloorBenchmark;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code npyw-bench.jar}: {@code java --add-modules jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED -jar npyw-bench.jar COMMAND [options]}, COMMAND one of {@link
 * #COMMANDS}. Progress goes to standard error; tables and {@code RESULT} JSON lines go to standard
 * output. Not thread-safe (a main class).
 */
public final class BenchMain {

  /** One benchmark: runs with its arguments, returns an exit code. */
  @FunctionalInterface
  interface Runner {
    /**
     * @throws IllegalArgumentException for bad arguments (printed with the command's usage, exit 2)
     */
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  /** A command: what it measures, its usage text and how it runs. */
  record Command(String summary, String usage, Runner runner) {}

  /** Every command, in the order of the help text. */
  static final Map<String, Command> COMMANDS = commands();

  private static Map<String, Command> commands() {
    Map<String, Command> c = new LinkedHashMap<>();
    c.put(
        "io",
        new Command(
            "open latency, mapped-sum and write throughput vs numpy on one large file",
            IoOptions.USAGE,
            (args, out, err) -> {
              if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                err.println(
                    "the Vector API is missing: run java with --add-modules jdk.incubator.vector");
                return 2;
              }
              new IoBenchmark(IoOptions.parse(args), err).run().print(out);
              return 0;
            }));
    c.put(
        "collection",
        new Command(
            "import vs np.save, collection open time, durable upserts",
            CollectionBenchmark.USAGE,
            (args, out, err) -> {
              new CollectionBenchmark(args, err).run(out);
              return 0;
            }));
    c.put(
        "filter",
        new Command(
            "indexed vs row-by-row filter selection, segment pruning [DIR] [ROWS] [SEGMENTS]",
            "",
            (args, out, err) -> {
              FilterBenchmark.main(args);
              return 0;
            }));
    c.put(
        "quant",
        new Command(
            "Lucene HNSW over float32 rows vs over int8 codes + exact re-ranking",
            QuantBenchmark.USAGE,
            (args, out, err) -> {
              new QuantBenchmark(args, err).run(out);
              return 0;
            }));
    c.put(
        "ooc",
        new Command(
            "build|search: a collection larger than memory, float32 vs int8 graph index",
            OutOfCoreBenchmark.USAGE,
            (args, out, err) -> {
              new OutOfCoreBenchmark(args, err).run(out);
              return 0;
            }));
    c.put(
        "ann",
        new Command(
            "recall@k vs QPS: ours, Lucene HNSW, hnswlib, FAISS on the same .npy files",
            AnnOptions.USAGE,
            (args, out, err) -> {
              new AnnBenchmark(AnnOptions.parse(args), err).run(out);
              return 0;
            }));
    c.put(
        "bulk-score",
        new Command(
            "graph walk time, up to 16 rows per kernel pass vs 4 vs 1 [METRIC] [ROWS] [DIM] [QUERIES] [EF]",
            "",
            (args, out, err) -> {
              BulkScoreWalk.run(args, out);
              return 0;
            }));
    c.put(
        "cold-scan",
        new Command(
            "cold exact scan of an int8-indexed segment after its graph was opened (root)",
            "create DIR [ROWS] [DIM] | run DIR",
            (args, out, err) -> {
              ColdScan.run(args, out);
              return 0;
            }));
    c.put(
        "rerank",
        new Command(
            "int8 index: recall@10 and latency per re-rank depth [ROWS] [DIM] [QUERIES] [EF]",
            "",
            (args, out, err) -> {
              RerankSweep.run(args, out);
              return 0;
            }));
    c.put(
        "scan-floor",
        new Command(
            "the exact-scan floor of `ann` alone: exact query vs SIMD sum of the same vectors",
            ScanFloorBenchmark.USAGE,
            (args, out, err) -> {
              new ScanFloorBenchmark(AnnOptions.parse(args), err).run(out);
              return 0;
            }));
    c.put(
        "auth",
        new Command(
            "cost of Security.authenticate and allowed per call [BATCHES]",
            AuthBenchmark.USAGE,
            (args, out, err) -> {
              AuthBenchmark.run(args, out, err);
              return 0;
            }));
    c.put(
        "http-vs-embedded",
        new Command(
            "the same k-NN queries over HTTP and through the embedded API",
            HttpVsEmbeddedBenchmark.USAGE,
            (args, out, err) -> {
              new HttpVsEmbeddedBenchmark(args, err).run(out);
              return 0;
            }));
    c.put(
        "idle-gap",
        new Command(
            "one graph search's time when its thread sleeps or polls between searches",
            IdleGapBenchmark.USAGE,
            (args, out, err) -> {
              new IdleGapBenchmark(args, err).run(out);
              return 0;
            }));
    c.put(
        "http-load",
        new Command(
            "concurrent query and writer clients against a running server",
            HttpLoadCommand.USAGE,
            (args, out, err) -> new HttpLoadCommand(args, err).run(out)));
    return c;
  }

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the process exit code (0 ok, 1 failure, 2 usage). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      printUsage(out);
      return args.length == 0 ? 2 : 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("unknown command " + args[0]);
      printUsage(err);
      return 2;
    }
    try {
      return command.runner().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(command.usage());
      return 2;
    } catch (Exception e) {
      err.println("benchmark failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static void printUsage(PrintStream out) {
    out.println(
        "usage: java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \\");
    out.println("            -jar npyw-bench.jar COMMAND [options]");
    out.println("commands:");
    COMMANDS.forEach((name, c) -> out.printf("  %-17s %s%n", name, c.summary()));
    out.printf("  %-17s %s%n", "help", "this text");
    COMMANDS.values().stream()
        .map(Command::usage)
        .filter(u -> !u.isEmpty())
        .forEach(
            u -> {
              out.println();
              out.print(u);
            });
  }
}
