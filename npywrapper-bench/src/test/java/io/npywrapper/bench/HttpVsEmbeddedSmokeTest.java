package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http-vs-embedded} end to end on a tiny store: the real server, every way of sending a
 * query, answers checked by the clients; once as by default and once with polling clients and
 * virtual-thread connections only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a client that never sees its answer fails
class HttpVsEmbeddedSmokeTest {
  @TempDir Path dir;

  private static final String EVERY_WAY = "embedded,http,http-raw,http-raw-npy,healthz-raw";

  @Test
  void everyWayAnswers() throws Exception {
    run(EVERY_WAY);
  }

  @Test
  void pollingClientsAndVirtualThreadConnectionsAnswer() throws Exception {
    run(EVERY_WAY, "--client-poll", "--platform-threads", "0");
  }

  @Test
  void batchesOfQueriesAnswerEveryVector() throws Exception {
    // 20 queries in batches of 3: requests wrap around the query set, each list checked
    run("embedded,http-raw,http-raw-npy", "--batch", "3");
  }

  private void run(String ways, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--dir", dir.toString(),
                "--rows", "2000",
                "--dim", "8",
                "--clusters", "4",
                "--queries", "20",
                "--modes", "ann",
                "--threads", "1,2",
                "--rounds", "1",
                "--seconds", "0.2",
                "--warmup", "0.1",
                "--ways", ways));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    new HttpVsEmbeddedBenchmark(args.toArray(String[]::new), log)
        .run(new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    String result =
        text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow().substring(7);
    Map<String, Object> parsed = Json.parseObject(result);
    assertEquals(List.of(extra).contains("--client-poll"), parsed.get("client_poll"), result);
    assertEquals(0.1, ((Number) parsed.get("warmup_seconds")).doubleValue(), result);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> lines = (List<Map<String, Object>>) parsed.get("lines");
    assertEquals(2 * ways.split(",").length, lines.size(), text); // 2 client counts x the ways
    for (Map<String, Object> l : lines) {
      assertTrue(((Number) l.get("qps")).doubleValue() > 0, l.toString());
    }
  }
}
