package io.npywrapper.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnTableTest {
  private static AnnPoint point(int ef, double recall, double qps) {
    return new AnnPoint(
        "d",
        "lib",
        "HNSW \"M\"=16, x",
        1,
        "ef",
        ef,
        recall,
        qps,
        new double[] {qps},
        new AnnEngine.Build(1.5, 2_000_000, -1));
  }

  @Test
  void bestIsTheFastestPointReachingTheRecall() {
    List<AnnPoint> curve =
        List.of(point(10, 0.90, 900), point(20, 0.96, 500), point(40, 0.99, 600));
    assertEquals(40, AnnTable.best(curve, 0.95).value(), "noise can make a wider search faster");
    assertEquals(10, AnnTable.best(curve, 0.90).value());
    assertNull(AnnTable.best(curve, 0.995));
  }

  @Test
  void csvQuotesTheVariantAndLeavesUnknownsEmpty() {
    String csv = point(20, 0.96, 500).toCsv();
    assertEquals("d,lib,\"HNSW \"\"M\"\"=16, x\",1,ef,20,0.9600,500.0,1.50,2000000,", csv);
    assertEquals(AnnPoint.csvHeader().split(",").length, 11);
  }

  @Test
  void tablePrintsEachCurveAndTheFloor() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    AnnTable.print(
        new PrintStream(b, true, StandardCharsets.UTF_8),
        List.of(point(10, 0.90, 900), point(20, 0.96, 500)),
        List.of(
            Map.of("dataset", "d", "exact_qps", 90.0, "floor_qps", 100.0, "scan_over_floor", 1.11)),
        10);
    String s = b.toString(StandardCharsets.UTF_8);
    assertTrue(s.contains("900 (ef=10, 0.900)"), s);
    assertTrue(s.contains("500 (ef=20, 0.960)"), s);
    assertTrue(s.contains("scan/floor time ratio 1.11"), s);
  }
}
