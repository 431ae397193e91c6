package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's small parts; the benchmark itself never runs in the test suite. */
class HarnessPartsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3, Samples.of(5, 1, 3).median());
    assertEquals(2.5, Samples.of(4, 1, 3, 2).median());
    assertEquals(1, Samples.of(List.of(3, 1, 2)).min());
    assertThrows(IllegalArgumentException.class, () -> Samples.of());
  }

  @Test
  void ratioIsOurSpeedOverNumpys() {
    Measurement m =
        Measurement.throughput("w", Samples.of(2e9), Samples.of(1e9), 4_000_000_000L, 0.9);
    assertEquals(2.0, m.oursValue(), 1e-9); // GB/s
    assertEquals(0.5, m.ratio(), 1e-9);
    assertFalse(m.meetsGoal());
    Measurement open = Measurement.latency("o", Samples.of(40_000), Samples.of(80_000), 1000);
    assertEquals(40, open.oursValue(), 1e-9); // microseconds
    assertEquals(2.0, open.ratio(), 1e-9);
    assertTrue(open.meetsGoal());
  }

  @Test
  void jsonRoundTrip() {
    String text = Json.write(Map.of("a", List.of(1.5, "x\"\n", true), "b", Map.of()));
    Map<String, Object> back = Json.parseObject(text);
    assertEquals(List.of(1.5, "x\"\n", true), back.get("a"));
    assertEquals(Map.of(), back.get("b"));
    assertEquals(List.of(1.0e9, -2.0), Json.parse(" [1e9, -2] "));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
  }

  @Test
  void optionsDefaultsAndSizes() {
    IoOptions o = IoOptions.parse("--size-gib", "2", "--dir", "/tmp/x", "--only", "sum,write");
    assertEquals(699_050, o.rows()); // 2^31 / (768 * 4)
    assertEquals(Path.of("/tmp/x"), o.dir());
    assertEquals(Set.of(IoOptions.Part.SUM, IoOptions.Part.WRITE), o.parts());
    assertThrows(IllegalArgumentException.class, () -> IoOptions.parse("--reps", "0"));
    assertThrows(IllegalArgumentException.class, () -> IoOptions.parse("--bogus", "1"));
    assertThrows(IllegalArgumentException.class, () -> IoOptions.parse("--only", "nothing"));
  }

  @Test
  void vectorAndScalarSumsMatchADoubleSum() {
    Random random = new Random(7);
    ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    // Many whole vector groups and a ragged tail, at an odd offset: unaligned loads.
    int n = 100_000 + 37;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment seg = arena.allocate((long) n * Float.BYTES + 1).asSlice(1);
      double expected = 0;
      for (int i = 0; i < n; i++) {
        float v = random.nextFloat() - 0.5f;
        seg.set(le, (long) i * Float.BYTES, v);
        expected += v;
      }
      assertEquals(expected, FloatSum.vector(seg), 1e-3);
      assertEquals(expected, FloatSum.scalar(seg), 1e-3);
    }
  }
}
