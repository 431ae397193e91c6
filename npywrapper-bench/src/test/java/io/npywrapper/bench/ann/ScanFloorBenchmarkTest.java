package io.npywrapper.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scan-floor} end to end on a tiny generated set: one floor per repetition. */
class ScanFloorBenchmarkTest {
  @TempDir Path dir;

  @Test
  void measuresTheFloorOncePerRepetitionWithoutAGraph() throws Exception {
    AnnOptions o =
        AnnOptions.parse(
            new String[] {
              "--data",
              dir.toString(),
              "--datasets",
              "clustered-2000x16",
              "--queries",
              "30",
              "--reps",
              "2"
            });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Map<String, Object>> floors =
        new ScanFloorBenchmark(o, new PrintStream(new ByteArrayOutputStream()))
            .run(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertEquals(2, floors.size());
    for (Map<String, Object> f : floors) {
      assertEquals("clustered-2000x16", f.get("dataset"));
      assertEquals(2000L * 16 * 4, ((Number) f.get("vector_bytes")).longValue());
      for (String key : List.of("sum_s", "scan_s", "scan_over_floor", "scan_over_floor_cpu")) {
        assertTrue(((Number) f.get(key)).doubleValue() > 0, key + " in " + f);
      }
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("scan-floor clustered-2000x16: scan/floor wall ["), text);
    try (var files = Files.walk(dir.resolve("scan-floor-store"))) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".hnsw")),
          "no graph index is built");
    }
  }
}
