package io.npywrapper.search.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A collection several times larger than the JVM heap: a child JVM with {@code -Xmx32m} writes
 * about 150 MB of float32 vectors, quantizes them (37 MB of codes, also larger than the heap),
 * builds an HNSW graph over the codes and searches it with exact re-ranking from the mapped file.
 */
class LargerThanHeapTest {
  private static final int ROWS = 36_000;
  private static final int DIM = 1024;
  private static final long HEAP = 32L << 20;

  @TempDir Path dir;

  @Test
  void quantizesAndSearchesVectorsFourTimesTheHeap() throws Exception {
    long seed = 20261125;
    System.out.println("LargerThanHeapTest seed " + seed);
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
            LargerThanHeapChild.class.getName(),
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
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child did not finish in 300 s");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), "child exit code");
    assertNotNull(result, "child printed no RESULT line");
    long vectorBytes = field(result, "vectorBytes");
    long codeBytes = field(result, "codeBytes");
    long maxHeap = field(result, "maxHeap");
    assertTrue(maxHeap <= HEAP + (4 << 20), "child heap " + maxHeap);
    assertTrue(vectorBytes >= 4 * maxHeap, vectorBytes + " bytes of vectors vs heap " + maxHeap);
    assertEquals((long) ROWS * DIM, codeBytes);
    assertTrue(codeBytes > maxHeap, "codes alone exceed the heap");
    Matcher m = Pattern.compile("recall=([0-9.]+)").matcher(result);
    assertTrue(m.find());
    double recall = Double.parseDouble(m.group(1));
    assertTrue(recall >= 0.9, "recall@10 " + recall);
  }

  private static long field(String line, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(line);
    assertTrue(m.find(), name + " missing in " + line);
    return Long.parseLong(m.group(1));
  }
}
