package io.npywrapper.search.graph;

import io.npywrapper.search.Metric;

/**
 * Maps our distances (smaller is closer, see {@link Metric}) to the non-negative scores Lucene's
 * graph code ranks by (larger is closer) and back, with the same shapes Lucene uses: {@code 1 / (1
 * + d)} for squared L2, {@code (1 + cos) / 2} for cosine and the scaled inner product for dot. Each
 * mapping is strictly monotone, so rankings are preserved. Stateless and thread-safe.
 */
public final class Scores {
  private Scores() {}

  /** The score of a distance under {@code metric}. */
  public static float score(Metric metric, float distance) {
    return switch (metric) {
      case L2 -> 1f / (1f + distance);
      case COSINE -> Math.max(0f, (2f - distance) / 2f);
      case DOT -> distance > 0 ? 1f / (1f + distance) : 1f - distance;
    };
  }

  /** The distance a score came from (up to float rounding). */
  public static float distance(Metric metric, float score) {
    return switch (metric) {
      case L2 -> 1f / score - 1f;
      case COSINE -> 2f - 2f * score;
      case DOT -> score < 1f ? 1f / score - 1f : 1f - score;
    };
  }
}
