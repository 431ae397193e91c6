package io.npywrapper.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real numpy in a Python subprocess for interoperability tests. Both interpreters found
 * here are used when present: {@code python3} on the PATH (a current numpy) and Debian's {@code
 * /usr/bin/python3} with {@code python3-numpy}; a file both accept is numpy's file. Tests fail, not
 * skip, when neither has numpy: {@code .ci/run} installs it. Thread-safe.
 */
public final class Numpy {
  private static final long TIMEOUT_SECONDS = 120;
  private static volatile List<String> pythons;

  private Numpy() {}

  /** Interpreters with a working numpy, each once (by resolved path). */
  public static List<String> pythons() {
    List<String> found = pythons;
    if (found == null) {
      found = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (String candidate : List.of("python3", "/usr/bin/python3")) {
        try {
          String out =
              run(
                  candidate,
                  "import sys, numpy; print(sys.executable + ' ' + numpy.__version__)",
                  null);
          String exe = out.trim().split(" ")[0];
          Path real = Path.of(exe).toRealPath();
          if (!seen.contains(real.toString())) {
            seen.add(real.toString());
            found.add(candidate);
          }
        } catch (IOException | AssertionError e) {
          // this interpreter has no numpy; try the next
        }
      }
      if (found.isEmpty()) {
        throw new AssertionError(
            "no Python with numpy found (tried python3 and /usr/bin/python3);"
                + " install Debian's python3-numpy (.ci/run does)");
      }
      pythons = found;
    }
    return found;
  }

  /** numpy's version in {@code python}. */
  public static String version(String python) throws IOException {
    return run(python, "import numpy; print(numpy.__version__)", null).trim();
  }

  /**
   * Runs {@code script} with {@code python} in {@code workDir} (or the current directory) and
   * returns its standard output; fails with its standard error when it exits non-zero.
   */
  public static String run(String python, String script, Path workDir) throws IOException {
    Path scriptFile = Files.createTempFile("npyw-numpy-", ".py");
    try {
      Files.writeString(scriptFile, script);
      ProcessBuilder pb = new ProcessBuilder(python, scriptFile.toString());
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      Path err = Files.createTempFile("npyw-numpy-", ".err");
      pb.redirectError(err.toFile());
      Process p = pb.start();
      byte[] out;
      try (var in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String stderr = Files.readString(err);
      Files.deleteIfExists(err);
      if (!done) {
        p.destroyForcibly();
        throw new AssertionError(python + " timed out after " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            python + " failed (exit " + p.exitValue() + "):\n" + stderr + "\nscript:\n" + script);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + python, e);
    } finally {
      Files.deleteIfExists(scriptFile);
    }
  }
}
