package io.npywrapper.bench.ann;

import io.npywrapper.bench.Json;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.NpzFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Our search through the command line: {@code npyw search COLLECTION --query Q.npy --k K --ef N
 * --threads T --stats --out R.npz} (or {@code --exact}) in a fresh JVM on the store the harness
 * built, one call per point. {@code --stats} times the search alone (all queries in one batch), so
 * neither JVM start-up nor loading is in the figure; recall comes from the ids in {@code R.npz}.
 * Not thread-safe.
 */
final class CliSearch {
  private CliSearch() {}

  /**
   * Runs {@code npyw.jar} against {@code store} at every value of {@code efs} and exactly, with
   * {@code threads} search threads; returns one point per run.
   */
  static List<AnnPoint> run(
      Path npywJar,
      Path store,
      String collection,
      AnnDataset.Loaded data,
      int k,
      int[] efs,
      int threads,
      int reps,
      AnnEngine.Build build,
      Path work,
      PrintStream log)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.createDirectories(work);
    Path npz = work.resolve("cli-result.npz");
    List<AnnPoint> points = new ArrayList<>();
    int[] values = new int[efs.length + 1];
    System.arraycopy(efs, 0, values, 0, efs.length);
    for (int value : values) {
      double[] qps = new double[reps];
      for (int r = 0; r < reps; r++) {
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    java,
                    "--add-modules",
                    "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED",
                    "-jar",
                    npywJar.toString(),
                    "--store",
                    store.toString(),
                    "search",
                    collection,
                    "--query",
                    data.set().queries().toString(),
                    "--k",
                    Integer.toString(k),
                    "--threads",
                    Integer.toString(threads),
                    "--stats",
                    "--out",
                    npz.toString(),
                    "--force"));
        cmd.addAll(value == 0 ? List.of("--exact") : List.of("--ef", Integer.toString(value)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IOException("npyw search failed (exit " + p.exitValue() + "): " + out);
        }
        String line = out.lines().filter(l -> l.startsWith("{\"queries\"")).findFirst().orElse("");
        Map<String, Object> stats = Json.parseObject(line);
        qps[r] = ((Number) stats.get("qps")).doubleValue();
      }
      double recall;
      try (NpzFile f = NpzFile.open(npz)) {
        NpyArray ids = f.get("ids");
        long[][] found = new long[Math.toIntExact(ids.rows())][Math.toIntExact(ids.rowLength())];
        for (int i = 0; i < found.length; i++) {
          for (int j = 0; j < found[i].length; j++) {
            found[i][j] = ids.getLong(i, j);
          }
        }
        recall = data.recall(k, found);
      }
      AnnPoint pt =
          new AnnPoint(
              data.set().name(),
              "ours",
              "npyw search --stats, batch of all queries",
              threads,
              value == 0 ? "exact" : "ef",
              value,
              recall,
              Rounds.median(qps),
              qps,
              build);
      log.printf(
          Locale.ROOT,
          "    npyw search --stats --threads %d %s: recall@%d=%.4f qps=%,.0f%n",
          threads,
          value == 0 ? "--exact" : "--ef " + value,
          k,
          recall,
          pt.qps());
      points.add(pt);
    }
    return points;
  }
}
