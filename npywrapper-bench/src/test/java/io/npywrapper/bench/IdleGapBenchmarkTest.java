package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idle-gap} on a tiny store: every gap measured and reported; bad options refused. */
class IdleGapBenchmarkTest {
  private static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream());

  @TempDir Path dir;

  @Test
  void measuresEveryGap() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new IdleGapBenchmark(
            new String[] {
              "--dir", dir.toString(),
              "--rows", "2000",
              "--dim", "8",
              "--queries", "20",
              "--gaps", "none,sleep50,poll50",
              "--searches", "50",
              "--rounds", "2"
            },
            LOG)
        .run(new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    String result =
        text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow().substring(7);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> gaps =
        (List<Map<String, Object>>) Json.parseObject(result).get("gaps");
    assertEquals(
        List.of("none", "sleep50", "poll50"), gaps.stream().map(g -> g.get("gap")).toList());
    for (Map<String, Object> g : gaps) {
      assertTrue(((Number) g.get("p50_us")).doubleValue() > 0, g.toString());
    }
    assertEquals(0.0, ((Number) gaps.get(0).get("p50_vs_none")).doubleValue(), result);
  }

  @Test
  void refusesBadGapsAndOptions() {
    for (String gaps : List.of("sleep", "poll0", "sleep1000001", "nap50", "sleepx", "sleep50")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new IdleGapBenchmark(new String[] {"--gaps", gaps}, LOG),
              gaps);
      assertTrue(
          e.getMessage().contains(gaps.equals("sleep50") ? "must include none" : gaps),
          e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new IdleGapBenchmark(new String[] {"--searches", "0"}, LOG));
    assertThrows(
        IllegalArgumentException.class, () -> new IdleGapBenchmark(new String[] {"--rounds"}, LOG));
  }
}
