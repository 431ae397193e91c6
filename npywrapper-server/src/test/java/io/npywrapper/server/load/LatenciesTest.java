package io.npywrapper.server.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void nearestRankPercentiles() {
    Latencies l = new Latencies();
    assertEquals(0, l.percentile(50));
    long seed = new Random().nextLong();
    System.out.println("LatenciesTest seed " + seed);
    Random rnd = new Random(seed);
    // 1..2000 in a random order, more than the initial capacity.
    long[] values = new long[2000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i + 1;
    }
    for (int i = values.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      long t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    Latencies a = new Latencies();
    Latencies b = new Latencies();
    for (int i = 0; i < values.length; i++) {
      (i % 3 == 0 ? a : b).add(values[i]);
    }
    a.merge(b);
    assertEquals(2000, a.count());
    assertEquals(1000, a.percentile(50));
    assertEquals(1980, a.percentile(99));
    assertEquals(2000, a.percentile(100));
    assertEquals(1, a.percentile(0.01));
    assertEquals(2000, a.max());
    assertThrows(IllegalArgumentException.class, () -> a.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> a.percentile(101));
  }
}
