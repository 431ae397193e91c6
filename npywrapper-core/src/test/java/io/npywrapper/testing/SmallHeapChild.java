package io.npywrapper.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a test's {@code main} class in a child JVM with a small heap (serial GC, the Vector API and
 * native access enabled, this JVM's class path) and returns the {@code RESULT key=value ...} line
 * it prints; its other output is echoed. For tests that prove data larger than the heap works.
 */
public final class SmallHeapChild {
  private SmallHeapChild() {}

  /**
   * Runs {@code main} with {@code -Xmx heapBytes} and {@code args}, asserting it exits 0 within
   * {@code timeoutSeconds}, printed a RESULT line and never had a larger heap than asked.
   */
  public static String run(Class<?> main, long heapBytes, long timeoutSeconds, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-Xmx" + (heapBytes >> 20) + "m",
            "-XX:+UseSerialGC",
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    cmd.addAll(List.of(args));
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
      assertTrue(
          p.waitFor(timeoutSeconds, TimeUnit.SECONDS),
          "child did not finish in " + timeoutSeconds + " s");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), "child exit code");
    assertNotNull(result, "child printed no RESULT line");
    long maxHeap = field(result, "maxHeap");
    assertTrue(maxHeap <= heapBytes + (4 << 20), "child heap " + maxHeap);
    return result;
  }

  /** The integer after {@code name=} in a RESULT line. */
  public static long field(String line, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(line);
    assertTrue(m.find(), name + " missing in " + line);
    return Long.parseLong(m.group(1));
  }
}
