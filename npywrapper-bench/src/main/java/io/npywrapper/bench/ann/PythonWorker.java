package io.npywrapper.bench.ann;

import io.npywrapper.bench.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * hnswlib and FAISS through {@code ann_peers.py}, a worker process under Debian's Python
 * (single-threaded, one query per call) on the same {@code .npy} files: requests and answers are
 * JSON lines, so that the harness can interleave the worker's passes with its own. Recall is
 * computed here from the ids the worker saves, with the same code as for the Java libraries. A
 * library whose module is missing is reported and skipped. Not thread-safe.
 */
final class PythonWorker implements AutoCloseable {
  /** The script inside the jar (copied from {@code src/main/python}). */
  static final String SCRIPT = "ann_peers.py";

  private final Process process;
  private final BufferedReader in;
  private final PrintWriter cmd;
  private final PrintStream log;

  private PythonWorker(Process process, PrintStream log) {
    this.process = process;
    this.in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.cmd = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.log = log;
  }

  /**
   * Starts the worker on {@code data} with interpreter {@code python}, or returns null (logged)
   * when the interpreter cannot be started.
   */
  static PythonWorker start(
      String python, Path work, AnnDataset.Loaded data, int k, PrintStream log) throws IOException {
    Files.createDirectories(work);
    Path script = work.resolve(SCRIPT);
    try (InputStream s = PythonWorker.class.getResourceAsStream(SCRIPT)) {
      if (s == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the class path");
      }
      Files.copy(s, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = work.resolve("ids-" + data.set().name());
    Dirs.deleteTree(out);
    ProcessBuilder pb =
        new ProcessBuilder(
            python,
            script.toString(),
            "--train",
            data.set().train().toString(),
            "--queries",
            data.set().queries().toString(),
            "--out-dir",
            out.toString(),
            "--k",
            Integer.toString(k));
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      log.println("  SKIPPED hnswlib and faiss: cannot run " + python + ": " + e.getMessage());
      return null;
    }
    PythonWorker w = new PythonWorker(p, log);
    Map<String, Object> hello = w.read();
    log.println("  python worker: " + hello.get("info"));
    return w;
  }

  private Map<String, Object> read() throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException(SCRIPT + " ended unexpectedly (its error output is above)");
    }
    return Json.parseObject(line);
  }

  private Map<String, Object> request(Map<String, Object> req) throws IOException {
    cmd.println(Json.write(req));
    return read();
  }

  /**
   * Builds {@code lib} ({@code hnswlib}, {@code faiss-hnsw}, {@code faiss-ivf}, {@code faiss-flat})
   * and returns its contender over {@code efs} or the {@code nprobes} the index allows, or null
   * when its module is missing.
   */
  Contender build(String lib, int[] efs, int[] nprobes) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("cmd", "build");
    req.put("lib", lib);
    Map<String, Object> m = request(req);
    if (m.containsKey("skip")) {
      log.println("  SKIPPED " + m.get("skip") + ": " + m.get("reason"));
      return null;
    }
    String param = (String) m.get("param");
    long max = ((Number) m.get("max_value")).longValue();
    int[] values =
        switch (param) {
          case "ef" -> efs;
          case "nprobe" -> Arrays.stream(nprobes).filter(v -> v <= max).toArray();
          default -> new int[] {0};
        };
    AnnEngine.Build b =
        new AnnEngine.Build(
            ((Number) m.get("build_s")).doubleValue(),
            ((Number) m.get("index_bytes")).longValue(),
            -1);
    log.printf(
        java.util.Locale.ROOT,
        "  %s %s: built in %.1f s, %,d bytes%n",
        m.get("library"),
        m.get("variant"),
        b.seconds(),
        b.indexBytes());
    return new Remote(lib, (String) m.get("library"), (String) m.get("variant"), param, values, b);
  }

  /** A contender whose passes the worker runs and times. */
  private final class Remote implements Contender {
    private final String lib;
    private final String library;
    private final String variant;
    private final String param;
    private final int[] values;
    private final AnnEngine.Build build;

    Remote(
        String lib,
        String library,
        String variant,
        String param,
        int[] values,
        AnnEngine.Build build) {
      this.lib = lib;
      this.library = library;
      this.variant = variant;
      this.param = param;
      this.values = values;
      this.build = build;
    }

    @Override
    public String library() {
      return library;
    }

    @Override
    public String variant() {
      return variant;
    }

    @Override
    public int threads() {
      return 1;
    }

    @Override
    public String param() {
      return param;
    }

    @Override
    public int[] values() {
      return values.clone();
    }

    @Override
    public AnnEngine.Build build() {
      return build;
    }

    @Override
    public void warm() {
      // Native code: nothing to compile.
    }

    @Override
    public Pass pass(int value, boolean keepIds) throws IOException {
      Map<String, Object> req = new LinkedHashMap<>();
      req.put("cmd", "pass");
      req.put("lib", lib);
      req.put("value", value);
      req.put("save", keepIds);
      Map<String, Object> m = request(req);
      double qps = ((Number) m.get("qps")).doubleValue();
      Object ids = m.get("ids");
      return new Pass(qps, ids == null ? null : AnnDataset.readLongs(Path.of((String) ids)));
    }
  }

  @Override
  public void close() throws IOException {
    cmd.println(Json.write(Map.of("cmd", "quit")));
    cmd.close();
    try {
      int code = process.waitFor();
      if (code != 0) {
        throw new IOException(SCRIPT + " exited with code " + code + " (see its output above)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }

  /** The Python libraries to build for the peers asked for. */
  static List<String> libs(List<String> peers) {
    List<String> libs = new java.util.ArrayList<>();
    if (peers.contains("hnswlib")) {
      libs.add("hnswlib");
    }
    if (peers.contains("faiss")) {
      libs.addAll(List.of("faiss-hnsw", "faiss-ivf", "faiss-flat"));
    }
    return libs;
  }
}
