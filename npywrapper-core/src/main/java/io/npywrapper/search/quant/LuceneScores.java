package io.npywrapper.search.quant;

/**
 * Converts between our distances (smaller is closer, any sign: negated dot products can be
 * negative) and Lucene's vector scores (larger is closer, never negative): {@code score = 1 / (1 +
 * d)} for {@code d >= 0} and {@code 1 - d} below zero. The map is continuous, strictly decreasing
 * and invertible, so a graph built or walked on scores orders candidates exactly as the distances
 * do. Stateless and thread-safe.
 */
public final class LuceneScores {
  private LuceneScores() {}

  /** The Lucene score of a distance. */
  public static float fromDistance(float distance) {
    return distance >= 0 ? 1 / (1 + distance) : 1 - distance;
  }

  /** The distance a Lucene score stands for (the inverse of {@link #fromDistance}). */
  public static float toDistance(float score) {
    return score <= 1 ? 1 / score - 1 : 1 - score;
  }
}
