package io.npywrapper.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecallTest {
  private static final long[][] TRUTH = {{1, 2, 3, 4}, {5, 6, 7, 8}};
  private static final float[][] DIST = {{1, 2, 3, 4}, {1, 2, 3, 4}};

  /** True distances: the ids of TRUTH at their listed distance, 9 tied with query 0's third. */
  private static float distance(int q, long id) {
    if (id == 9) {
      return q == 0 ? 3f : 100f;
    }
    return q == 0 ? id : id - 4;
  }

  @Test
  void countsTheTrueNeighboursAmongTheFirstK() {
    assertEquals(
        1.0, Recall.at(3, new long[][] {{3, 2, 1}, {7, 5, 6}}, TRUTH, DIST, RecallTest::distance));
    assertEquals(
        0.5, Recall.at(2, new long[][] {{1, 4}, {8, 6}}, TRUTH, DIST, RecallTest::distance));
    // Only the first k results count.
    assertEquals(
        0.0, Recall.at(1, new long[][] {{4, 1}, {8, 5}}, TRUTH, DIST, RecallTest::distance));
  }

  @Test
  void aTieAtTheKthDistanceCountsAndDuplicatesCountOnce() {
    // 9 is as near to query 0 as its third neighbour: a hit at k=3, but not at k=2.
    assertEquals(
        1.0, Recall.at(3, new long[][] {{1, 2, 9}, {5, 6, 7}}, TRUTH, DIST, RecallTest::distance));
    assertEquals(
        0.75, Recall.at(2, new long[][] {{1, 9}, {5, 6}}, TRUTH, DIST, RecallTest::distance));
    assertEquals(
        (2.0 / 3 + 1.0 / 3) / 2,
        Recall.at(3, new long[][] {{1, 1, 2}, {9, 5, -1}}, TRUTH, DIST, RecallTest::distance),
        1e-12);
  }

  @Test
  void shortResultListsAreMisses() {
    assertEquals(0.125, Recall.at(4, new long[][] {{1}, {}}, TRUTH, DIST, RecallTest::distance));
  }

  @Test
  void mismatchedInputIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Recall.at(2, new long[][] {{1}}, TRUTH, DIST, RecallTest::distance));
    assertThrows(
        IllegalArgumentException.class,
        () -> Recall.at(5, new long[][] {{1}, {2}}, TRUTH, DIST, RecallTest::distance));
    assertThrows(
        IllegalArgumentException.class,
        () -> Recall.at(0, new long[][] {{1}, {2}}, TRUTH, DIST, RecallTest::distance));
  }
}
