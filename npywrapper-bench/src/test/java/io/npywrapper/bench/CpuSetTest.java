package io.npywrapper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** CPU lists, thread binding and busy time of the benchmarks' {@link CpuSet}. */
class CpuSetTest {
  @Test
  void badListsNameThePartThatIsWrong() {
    for (String bad : new String[] {"", "x", "1-", "3-1", "-2", "1,,2", "0-1-2", "1024"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("CPU list " + bad + ":"), e.getMessage());
    }
    assertEquals("0,2-3", CpuSet.parse("0,2-3").toString());
  }

  @Test
  void httpVsEmbeddedTakesBothCpuListsOrNeither() {
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--server-cpus", "0"}, log));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HttpVsEmbeddedBenchmark(new String[] {"--client-cpus", "a"}, log));
  }

  @Test
  void aBoundThreadRunsOnlyOnItsCpuAndItsBusyTimeGrows() throws Exception {
    // the first CPU this process may run on (a container may not offer CPU 0)
    String first = allowedCpus(Path.of("/proc/self/status")).split("[,-]")[0];
    CpuSet zero = CpuSet.parse(first);
    long[] busy = new long[2];
    String[] allowed = new String[1];
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    zero.bindCurrentThread();
                    allowed[0] = allowedCpus(Path.of("/proc/thread-self/status"));
                    busy[0] = zero.busyNanos();
                    long end = System.nanoTime() + 300_000_000L;
                    long x = 0;
                    while (System.nanoTime() < end) {
                      x += x * 31 + 7;
                    }
                    busy[1] = zero.busyNanos() + (x == 42 ? 1 : 0);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    t.join();
    assertEquals(first, allowed[0]);
    // 0.3 s of spinning on that CPU, counted in 10 ms ticks: at least a third of it shows.
    assertTrue(busy[1] - busy[0] >= 100_000_000L, "busy " + (busy[1] - busy[0]) + " ns");
  }

  private static String allowedCpus(Path status) throws Exception {
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return line.substring("Cpus_allowed_list:".length()).strip();
      }
    }
    throw new AssertionError("no Cpus_allowed_list in " + status);
  }
}
