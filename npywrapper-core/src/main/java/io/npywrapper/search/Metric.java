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

  /**
   * The distance between {@code a} and {@code b} (squared Euclidean for L2), computed by the
   * kernels this JVM uses ({@link VectorKernels#get()}).
   */
  public float distance(float[] a, float[] b) {
    return VectorKernels.get().distance(this, a, b);
  }
}
