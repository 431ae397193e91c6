package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.bench.HttpVsEmbeddedBenchmark.Line;
import io.npywrapper.bench.HttpVsEmbeddedBenchmark.Way;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's overheads compare each way with the embedded pass of the same round. */
class HttpVsEmbeddedLineTest {
  /** A one-second pass of {@code qps} queries costing {@code cpuMicros} each, as measured. */
  private static ClientPass.Result pass(double qps, double cpuMicros) {
    long calls = Math.round(qps);
    double cpuSeconds = cpuMicros * calls / 1e6;
    return new ClientPass.Result(calls, 1.0, 0.3, 0.7, cpuSeconds, cpuSeconds / 2);
  }

  private static Line line(List<ClientPass.Result> embedded, List<ClientPass.Result> raw) {
    return new Line("ann", 1, Map.of(), Map.of(Way.EMBEDDED, embedded, Way.RAW, raw));
  }

  @Test
  void overheadIsTheMedianOfEachRoundsRatio() {
    // the machine slows down in round 2: each round's ratio is what counts, not the medians'
    Line l =
        line(
            List.of(pass(1000, 300), pass(500, 250), pass(700, 350)),
            List.of(pass(900, 330), pass(480, 360), pass(500, 390)));
    // rounds: 1000/900 = +11.1%, 500/480 = +4.2%, 700/500 = +40%; medians alone would say +40%
    assertEquals(1000.0 / 900 - 1, l.overhead(Way.RAW), 1e-3);
    // cpu: 330/300 = +10%, 360/250 = +44%, 390/350 = +11.4%; medians alone would say 360/300 = +20%
    assertEquals(390.0 / 350 - 1, l.cpuOverhead(Way.RAW), 1e-3);
    assertEquals(390.0 / 350 - 1, l.serverCpuOverhead(Way.RAW), 1e-3);
  }

  @Test
  void noEmbeddedWayMeansNoOverhead() {
    Line l = new Line("ann", 1, Map.of(), Map.of(Way.RAW, List.of(pass(900, 330))));
    assertTrue(Double.isNaN(l.overhead(Way.RAW)));
    assertTrue(Double.isNaN(l.cpuOverhead(Way.RAW)));
  }
}
