package io.npywrapper.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.bench.Json;
import io.npywrapper.npy.NpyArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ann} sweep end to end on a tiny generated set, our engine only (no peers). */
class AnnBenchmarkSmokeTest {
  @TempDir Path dir;

  @Test
  void sweepsOurEngineAndWritesResults() throws Exception {
    AnnOptions o =
        AnnOptions.parse(
            new String[] {
              "--data", dir.toString(),
              "--datasets", "clustered-3000x16",
              "--queries", "40",
              "--peers", "ours",
              "--segments", "1,3",
              "--efs", "8,64",
              "--reps", "1",
              "--threads", "2",
              "--no-plot"
            });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<AnnPoint> points =
        new AnnBenchmark(o, new PrintStream(log, true, StandardCharsets.UTF_8))
            .run(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertFalse(points.isEmpty());
    for (AnnPoint p : points) {
      assertEquals("ours", p.library());
      assertEquals("clustered-3000x16", p.dataset());
      assertTrue(p.qps() > 0, p.toString());
      if (p.param().equals("exact")) {
        assertEquals(1.0, p.recall(), 1e-9, "an exact search has recall 1: " + p.variant());
      }
    }
    assertTrue(points.stream().anyMatch(p -> p.threads() == 2));
    AnnPoint wide =
        points.stream()
            .filter(p -> p.param().equals("ef") && p.value() == 64 && p.threads() == 1)
            .findFirst()
            .orElseThrow();
    assertTrue(wide.recall() >= 0.9, "the graph at ef=64 finds most neighbours: " + wide);
    assertTrue(points.stream().anyMatch(p -> p.variant().equals("HNSW M=16 efC=200, 3 segments")));
    assertTrue(points.stream().anyMatch(p -> p.variant().equals("exact scan, 1 segment")));

    Path set = dir.resolve("sets/clustered-3000x16-q40");
    try (NpyArray gt = NpyArray.open(set.resolve("gt.npy"))) {
      assertEquals(40, gt.rows());
      assertEquals(AnnDataset.GT_K, gt.rowLength());
    }
    Map<String, Object> json =
        Json.parseObject(Files.readString(dir.resolve("results/ann-results.json")));
    assertEquals(points.size(), ((List<?>) json.get("points")).size());
    assertEquals(1, ((List<?>) json.get("floors")).size());
    List<String> csv = Files.readAllLines(dir.resolve("results/ann-results.csv"));
    assertEquals(AnnPoint.csvHeader(), csv.get(0));
    assertEquals(points.size() + 1, csv.size());
    String table = out.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("exact-scan floor, clustered-3000x16"), table);

    // A second run reuses the cached set.
    new AnnDatasets(
            dir.resolve("sets"), dir, 40, 1, new PrintStream(log, true, StandardCharsets.UTF_8))
        .prepare("clustered-3000x16");
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("cached in"));
  }

  @Test
  void badOptionsAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AnnOptions.parse(new String[] {"--peers", "ours,qdrant"}));
    assertTrue(e.getMessage().contains("qdrant"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> AnnOptions.parse(new String[] {"--k", "0"}));
    assertTrue(e.getMessage().contains("--k must be at least 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AnnOptions.parse(new String[] {"--efs"}));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new AnnDatasets(dir, dir, 10, 1, new PrintStream(new ByteArrayOutputStream()))
                    .prepare("sift-1m"));
    assertTrue(e.getMessage().contains("unknown data set 'sift-1m'"), e.getMessage());
  }
}
