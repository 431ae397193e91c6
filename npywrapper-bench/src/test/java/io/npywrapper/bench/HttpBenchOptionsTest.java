package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Option checks of the HTTP benchmarks: bad options are refused before anything runs. */
class HttpBenchOptionsTest {
  private static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream());

  @Test
  void httpVsEmbeddedRefusesBadOptions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--modes", "hnsw"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--ways", "grpc"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--threads", "1,0"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--rows", "5"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--seconds"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--batch", "0"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--batch", "1001"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--platform-threads", "-1"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--warmup", "-1"}, LOG));
    assertThrows( // the JDK client and healthz ways send one vector per call
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--batch", "8", "--ways", "http"}, LOG));
    // 2,000 requests of 1,000 vectors of 128 floats: gigabytes of prepared requests
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new HttpVsEmbeddedBenchmark(
                    new String[] {"--batch", "1000", "--ways", "http-raw"}, LOG));
    assertTrue(big.getMessage().contains("--queries 2000 x --batch 1000"), big.getMessage());
    new HttpVsEmbeddedBenchmark(
        new String[] {"--batch", "1000", "--queries", "100", "--ways", "http-raw"}, LOG);
    // nothing is prepared for the embedded way alone
    new HttpVsEmbeddedBenchmark(new String[] {"--batch", "1000", "--ways", "embedded"}, LOG);
  }

  @Test
  void httpLoadRefusesBadOptions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpLoadCommand(new String[] {"--seconds", "0"}, LOG));
    assertThrows(
        IllegalArgumentException.class, () -> new HttpLoadCommand(new String[] {"--readers"}, LOG));
    assertThrows(
        IllegalArgumentException.class, () -> new HttpLoadCommand(new String[] {"--x", "1"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpLoadCommand(new String[] {"--writers", "-1"}, LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpLoadCommand(new String[] {"--readers", "0", "--writers", "0"}, LOG));
  }

  @Test
  void usageListsBothCommandsAndBadOptionsExitWithTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, BenchMain.run(new String[] {"help"}, new PrintStream(out), LOG));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(usage.contains("http-vs-embedded") && usage.contains("http-load"), usage);
    assertEquals(
        2,
        BenchMain.run(
            new String[] {"http-load", "--seconds", "0"},
            new PrintStream(out),
            new PrintStream(err)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("http-load options"));
  }
}
