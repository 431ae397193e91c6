package io.npywrapper.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.Seeds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection about four times larger than the JVM heap, with an int8 graph index: a child JVM
 * with {@code -Xmx64m} imports about 260 MB of float32 vectors, builds the index (its 65 MB of
 * codes also exceed the heap) and searches it through the public API with exact re-ranking from the
 * memory-mapped {@code vectors.npy}, checking recall against exact queries.
 */
class LargerThanHeapIndexTest {
  private static final int ROWS = 32_000;
  private static final int DIM = 2048;
  private static final long HEAP = 64L << 20;

  @TempDir Path dir;

  @Test
  void importsIndexesAndSearchesACollectionFourTimesTheHeap() throws Exception {
    long seed = Seeds.of(2026);
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-Xmx" + (HEAP >> 20) + "m",
            "-XX:+UseSerialGC",
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            LargeIndexedCollectionChild.class.getName(),
            dir.toString(),
            Integer.toString(ROWS),
            Integer.toString(DIM),
            Long.toString(seed)));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println("child: " + line);
        if (line.startsWith("RESULT ")) {
          result = line;
        }
      }
      assertTrue(p.waitFor(600, TimeUnit.SECONDS), "child did not finish in 600 s");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), "child exit code");
    assertNotNull(result, "child printed no RESULT line");
    long maxHeap = field(result, "maxHeap");
    assertTrue(maxHeap <= HEAP + (4 << 20), "child heap " + maxHeap);
    long vectorBytes = field(result, "vectorBytes");
    assertTrue(vectorBytes >= 4 * maxHeap, vectorBytes + " bytes of vectors vs heap " + maxHeap);
    long codeBytes = field(result, "codeBytes");
    assertTrue(
        codeBytes >= (long) ROWS * DIM && codeBytes < (long) ROWS * DIM + 4096,
        "one int8 code per value plus a .npy header: " + codeBytes);
    assertTrue(codeBytes > maxHeap, "the codes alone exceed the heap");
    assertTrue(field(result, "built") >= 1, "an index was built");
    assertEquals(field(result, "built"), field(result, "graphs"), "every index is searched");
    Matcher m = Pattern.compile("recall=([0-9.]+)").matcher(result);
    assertTrue(m.find());
    double recall = Double.parseDouble(m.group(1));
    assertTrue(recall >= 0.95, "recall@10 " + recall);
  }

  private static long field(String line, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(line);
    assertTrue(m.find(), name + " missing in " + line);
    return Long.parseLong(m.group(1));
  }
}
