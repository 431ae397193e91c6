package io.npywrapper.bench.ann;

import java.util.HashSet;
import java.util.Set;

/**
 * Recall@k of approximate results against exact ground truth: per query, the share of the k
 * returned ids that are among the true k nearest, averaged over the queries. A returned id outside
 * the true list still counts when its true distance is no larger than the k-th true distance (a
 * tie, as with duplicate vectors), so that a library is not penalised for picking the other of two
 * equally near rows. Duplicate returned ids count once; missing results count as misses. Stateless
 * and thread-safe.
 */
public final class Recall {
  /** The true distance of row {@code id} to query {@code q}. */
  @FunctionalInterface
  public interface TrueDistance {
    float of(int q, long id);
  }

  private Recall() {}

  /**
   * Mean recall@k of {@code found} (per query, returned ids, nearest first) against {@code truth}
   * ids and their distances {@code truthDistances} (per query, at least k, nearest first).
   *
   * @throws IllegalArgumentException when the query counts differ or the truth is shorter than k
   */
  public static double at(
      int k, long[][] found, long[][] truth, float[][] truthDistances, TrueDistance distance) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (found.length != truth.length || truth.length != truthDistances.length) {
      throw new IllegalArgumentException(
          "found "
              + found.length
              + " result lists for "
              + truth.length
              + " ground-truth lists and "
              + truthDistances.length
              + " distance lists");
    }
    if (found.length == 0) {
      throw new IllegalArgumentException("no queries");
    }
    double sum = 0;
    for (int q = 0; q < found.length; q++) {
      if (truth[q].length < k || truthDistances[q].length < k) {
        throw new IllegalArgumentException(
            "ground truth of query " + q + " has " + truth[q].length + " ids, fewer than k=" + k);
      }
      Set<Long> want = new HashSet<>();
      for (int i = 0; i < k; i++) {
        want.add(truth[q][i]);
      }
      float limit = truthDistances[q][k - 1];
      Set<Long> seen = new HashSet<>();
      int hits = 0;
      for (int i = 0; i < Math.min(k, found[q].length); i++) {
        long id = found[q][i];
        if (!seen.add(id)) {
          continue;
        }
        if (want.contains(id) || (id >= 0 && distance.of(q, id) <= limit)) {
          hits++;
        }
      }
      sum += (double) hits / k;
    }
    return sum / found.length;
  }
}
