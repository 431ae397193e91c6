package io.npywrapper.search;

import java.util.Locale;

/**
 * How vectors are compared. Every metric is expressed as a distance: smaller is closer ({@code DOT}
 * is the negated inner product, {@code COSINE} is one minus the cosine similarity). Immutable and
 * thread-safe.
 */
public enum Metric {
  L2,
  COSINE,
  DOT;

  /** The metric's lower-case name as used in manifests, the CLI and HTTP. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code l2}, {@code cosine} or {@code dot}, in any case. */
  public static Metric parse(String s) {
    for (Metric m : values()) {
      if (m.id().equalsIgnoreCase(s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + s + "': expected l2, cosine or dot");
  }

  /** The distance between {@code a} and {@code b} (squared Euclidean for L2). */
  public float distance(float[] a, float[] b) {
    return switch (this) {
      case L2 -> {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
          float d = a[i] - b[i];
          s += d * d;
        }
        yield s;
      }
      case DOT -> {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
          s += a[i] * b[i];
        }
        yield -s;
      }
      case COSINE -> {
        float dot = 0;
        float na = 0;
        float nb = 0;
        for (int i = 0; i < a.length; i++) {
          dot += a[i] * b[i];
          na += a[i] * a[i];
          nb += b[i] * b[i];
        }
        yield na == 0 || nb == 0 ? 1 : 1 - dot / (float) Math.sqrt((double) na * nb);
      }
    };
  }
}
