package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.Numpy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: the real {@code ./npyw} launcher and packaged jar, run as a user would. */
class LauncherIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path NPYW = ROOT.resolve("npyw");

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run npyw(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(NPYW.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    Path out = dir.resolve(".stdout");
    Path err = dir.resolve(".stderr");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("npyw " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Run(p.exitValue(), read(out), read(err));
  }

  private static String read(Path p) throws IOException {
    String s = Files.readString(p, StandardCharsets.UTF_8);
    Files.delete(p);
    return s;
  }

  @Test
  void versionRunsOnJdk25() throws Exception {
    Run r = npyw(Map.of(), "--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Java 25"), r.out());
  }

  @Test
  void demoWritesFilesNumpyOpens() throws Exception {
    Run r = npyw(Map.of(), "demo", "--rows", "2000", "--dim", "16", "--dir", "demo");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("exact 5 nearest neighbours of row 0"), r.out());
    assertTrue(r.out().contains("row 0       cluster 0"), r.out());
    Run info = npyw(Map.of(), "npy", "info", "--json", "demo/embeddings.npy");
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("\"shape\":[2000,16]"), info.out());
    for (String python : Numpy.pythons()) {
      String check =
          Numpy.run(
              python,
              """
              import numpy as np
              e = np.load('demo/embeddings.npy', mmap_mode='r')
              h = np.load('demo/embeddings-f16.npy', mmap_mode='r')
              l = np.load('demo/labels.npy')
              n = np.load('demo/names.npy')
              ok = (e.shape == (2000, 16) and e.dtype == np.float32
                    and np.array_equal(e.astype(np.float16), h)
                    and np.array_equal(l, np.arange(2000) % 16)
                    and list(n) == ['alpha', 'béta', 'γάμμα', 'δ'])
              print(ok)
              """,
              dir);
      assertEquals("True", check.strip(), python);
    }
  }

  @Test
  void usageErrorsAndBadFilesAreClear() throws Exception {
    Run usage = npyw(Map.of(), "npy", "info");
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("Missing required parameter"), usage.err());
    Files.write(dir.resolve("trunc.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1});
    Run bad = npyw(Map.of(), "npy", "info", "trunc.npy");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("npyw: error: trunc.npy: truncated header"), bad.err());
    assertTrue(!bad.err().contains("\tat "), "no stack trace: " + bad.err());
  }

  @Test
  void saysWhatToInstallWithoutJdk25() throws Exception {
    Run r =
        npyw(
            Map.of("NPYW_JVM_DIR", dir.resolve("no-jdks").toString(), "JAVA_HOME", ""),
            "--version");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no JDK 25 or newer found"), r.err());
    assertTrue(r.err().contains("Install a JDK 25"), r.err());
  }
}
