package io.npywrapper.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The numpy side of a benchmark: a Python process running the embedded {@code numpy_worker.py},
 * driven one JSON request line at a time so that its runs interleave with ours. The worker times
 * numpy's calls itself, so neither process start nor this pipe is in its figures.
 *
 * <p>{@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} are removed from the worker's
 * environment only (some machines set them to values numpy's bundled OpenBLAS rejects); nothing
 * else of the harness's environment changes.
 *
 * <p>Not thread-safe: one thread talks to a worker.
 */
public final class NumpyWorker implements AutoCloseable {
  private static final String SCRIPT = "numpy_worker.py";
  private static final List<String> UNSET = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Path script;
  private final Path stderr;
  private final String python;

  private NumpyWorker(Process process, String python, Path script, Path stderr) {
    this.process = process;
    this.python = python;
    this.script = script;
    this.stderr = stderr;
    this.in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the worker with interpreter {@code python} (for example {@code python3}). */
  public static NumpyWorker start(String python) throws IOException {
    Path script = Files.createTempFile("npyw-numpy-worker-", ".py");
    Path stderr = Files.createTempFile("npyw-numpy-worker-", ".err");
    try {
      try (InputStream res = NumpyWorker.class.getResourceAsStream(SCRIPT)) {
        if (res == null) {
          throw new IllegalStateException("resource " + SCRIPT + " is missing from the jar");
        }
        Files.write(script, res.readAllBytes());
      }
      ProcessBuilder pb = new ProcessBuilder(python, "-u", script.toString());
      UNSET.forEach(pb.environment()::remove);
      pb.redirectError(stderr.toFile());
      return new NumpyWorker(pb.start(), python, script, stderr);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(script);
      Files.deleteIfExists(stderr);
      throw e;
    }
  }

  /**
   * Sends request {@code op} with the given fields and returns the answer.
   *
   * @throws IOException when the worker died or answered with an error
   */
  public Map<String, Object> call(String op, Object... keyValues) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("op", op);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      req.put((String) keyValues[i], keyValues[i + 1]);
    }
    String line;
    try {
      in.write(Json.write(req));
      in.newLine();
      in.flush();
      line = out.readLine();
    } catch (IOException e) {
      line = null; // the pipe broke: the worker is gone
    }
    if (line == null) {
      throw new IOException(
          "numpy worker (" + python + ") exited before answering " + op + ": " + errorText());
    }
    Map<String, Object> resp = Json.parseObject(line);
    if (resp.containsKey("error")) {
      throw new IOException("numpy worker failed on " + op + ": " + resp.get("error"));
    }
    return resp;
  }

  private String errorText() {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
      String err = Files.readString(stderr).strip();
      String status = process.isAlive() ? "" : " (exit status " + process.exitValue() + ")";
      return (err.isEmpty() ? "no error output" : err) + status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  /** Asks the worker to quit, waits briefly, then kills it if needed; removes its files. */
  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        try {
          in.write("{\"op\":\"quit\"}");
          in.newLine();
          in.flush();
        } catch (IOException e) {
          // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(script);
      Files.deleteIfExists(stderr);
    }
  }
}
