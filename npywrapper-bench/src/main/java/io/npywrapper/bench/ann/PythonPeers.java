package io.npywrapper.bench.ann;

import io.npywrapper.bench.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * hnswlib and FAISS, run by {@code ann_peers.py} under Debian's Python (single-threaded, one query
 * per call) on the same {@code .npy} files. The script saves each sweep point's returned ids and
 * prints one JSON line per point; recall is computed here, with the same code as for the Java
 * libraries. A missing module is reported and skipped, not fatal. Not thread-safe.
 */
final class PythonPeers {
  /** The script inside the jar (copied from {@code src/main/python}). */
  static final String SCRIPT = "ann_peers.py";

  private final String python;
  private final Path work;
  private final PrintStream log;

  /**
   * @param python the interpreter, normally {@code /usr/bin/python3} (Debian's packages)
   * @param work a scratch directory for the script and the result files
   */
  PythonPeers(String python, Path work, PrintStream log) {
    this.python = python;
    this.work = work;
    this.log = log;
  }

  /** Runs {@code libs} of the script and returns their points; skipped libraries are logged. */
  List<AnnPoint> run(
      AnnDataset.Loaded data, int k, int[] efs, int[] nprobes, int reps, List<String> libs)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path script = work.resolve(SCRIPT);
    try (InputStream in = PythonPeers.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the class path");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = work.resolve("ids-" + data.set().name());
    Dirs.deleteTree(out);
    List<String> cmd =
        List.of(
            python,
            script.toString(),
            "--train",
            data.set().train().toString(),
            "--queries",
            data.set().queries().toString(),
            "--out-dir",
            out.toString(),
            "--k",
            Integer.toString(k),
            "--efs",
            join(efs),
            "--nprobes",
            join(nprobes),
            "--reps",
            Integer.toString(reps),
            "--libs",
            String.join(",", libs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      log.println("  python peers skipped: cannot run " + python + ": " + e.getMessage());
      return List.of();
    }
    List<AnnPoint> points = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        Map<String, Object> m = Json.parseObject(line);
        if (m.containsKey("skip")) {
          log.println("  SKIPPED " + m.get("skip") + ": " + m.get("reason"));
        } else if (m.containsKey("info")) {
          log.println("  python: " + m.get("info"));
        } else {
          points.add(point(data, k, m));
        }
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IOException(SCRIPT + " exited with code " + code + " (its error output is above)");
    }
    return points;
  }

  private AnnPoint point(AnnDataset.Loaded data, int k, Map<String, Object> m) throws IOException {
    long[][] ids = AnnDataset.readLongs(Path.of((String) m.get("ids")));
    double recall = data.recall(k, ids);
    double[] runs =
        ((List<?>) m.get("qps_runs"))
            .stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
    double[] sorted = runs.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    AnnEngine.Build build =
        new AnnEngine.Build(
            ((Number) m.get("build_s")).doubleValue(),
            ((Number) m.get("index_bytes")).longValue(),
            -1);
    AnnPoint pt =
        new AnnPoint(
            data.set().name(),
            (String) m.get("library"),
            (String) m.get("variant"),
            1,
            (String) m.get("param"),
            ((Number) m.get("value")).intValue(),
            recall,
            median,
            runs,
            build);
    log.printf(
        Locale.ROOT,
        "  %-8s %-28s threads=1 %s=%-4d recall@%d=%.4f qps=%,.0f%n",
        pt.library(),
        pt.variant(),
        pt.param(),
        pt.value(),
        k,
        recall,
        median);
    return pt;
  }

  private static String join(int[] xs) {
    return java.util.Arrays.stream(xs).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }
}
