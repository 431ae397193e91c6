package io.npywrapper.search.quant;

import io.npywrapper.search.Metric;
import java.lang.foreign.MemorySegment;

/**
 * A query folded into the quantizer's code space, so that its distance to a code row is one kernel
 * pass over the row's bytes. With {@code x^[j] = o[j] + s[j] c[j]} the value a code {@code c}
 * stands for and {@code y} the query:
 *
 * <ul>
 *   <li>{@link Metric#L2}: {@code |x^ - y|^2 = sum_j (s[j] c[j] + (o[j] - y[j]))^2}, computed by
 *       {@link Int8Kernels#squareDistance} with shifts {@code o - y}; exact for {@code x^}.
 *   <li>{@link Metric#DOT}: {@code -x^.y = -(sum_j o[j] y[j] + sum_j (s[j] y[j]) c[j])}: a constant
 *       fixed per query plus {@link Int8Kernels#dot} with weights {@code s * y}.
 *   <li>{@link Metric#COSINE}: rows were normalized before quantization and the query is normalized
 *       here; for unit vectors {@code 1 - x.y = |x - y|^2 / 2}, so the distance is half the L2 form
 *       above with the normalized query. Computing {@code 1 - x^.y} instead would add the row's
 *       norm error {@code (|x^|^2 - 1) / 2}, which does not shrink for near neighbours.
 * </ul>
 *
 * The only approximation is therefore the row's own quantization error {@code e = x^ - x}, at most
 * half a step per dimension inside the learned range. It changes an L2 distance by {@code 2 e.(x -
 * y) + |e|^2} (small for near neighbours) and a dot product by {@code e.y} (proportional to the
 * query's length, which is why dot needs more oversampling). No per-row correction terms are
 * stored, and the exact re-ranking removes the error from the final order.
 *
 * <p>Instances returned by {@link ScalarQuantizer#prepare} are not changed afterwards and may be
 * shared between threads; the instance inside a build scorer is re-targeted on every {@code
 * setScoringOrdinal} and belongs to that scorer's thread.
 */
public final class QuantizedQuery {
  private final Metric metric;
  private final float[] steps;
  private final float[] offsets;
  private final float[] folded;
  private float constant;
  private float[] buildScales;
  private float[] buildShifts;
  private float offsetNorm;

  QuantizedQuery(Metric metric, float[] steps, float[] offsets) {
    this.metric = metric;
    this.steps = steps;
    this.offsets = offsets;
    this.folded = new float[steps.length];
  }

  /** Folds {@code y} (not modified) into this query, normalizing it first if asked. */
  void set(float[] y, boolean normalize) {
    float scale = 1;
    if (normalize) {
      double s = 0;
      for (float v : y) {
        s += (double) v * v;
      }
      scale = s > 0 ? (float) (1 / Math.sqrt(s)) : 1;
    }
    if (metric != Metric.DOT) {
      for (int j = 0; j < folded.length; j++) {
        folded[j] = offsets[j] - y[j] * scale;
      }
      constant = 0;
      return;
    }
    double k = 0;
    for (int j = 0; j < folded.length; j++) {
      float v = y[j] * scale;
      folded[j] = steps[j] * v;
      k += (double) offsets[j] * v;
    }
    constant = (float) k;
  }

  /**
   * Re-targets this query at the vector the code row at {@code offset} of {@code codes} holds, in
   * one kernel pass (two for dot): for L2 and cosine the shifts are {@code o - x^ = -s * c}; for
   * dot the weights are {@code s * x^ = s*o + s^2 * c} and the constant {@code o.x^ = o.o +
   * (s*o).c}.
   */
  void setFromCode(Int8Kernels kernels, MemorySegment codes, long offset) {
    if (buildScales == null) {
      int d = folded.length;
      buildScales = new float[d];
      buildShifts = new float[d];
      double oo = 0;
      for (int j = 0; j < d; j++) {
        if (metric == Metric.DOT) {
          buildScales[j] = steps[j] * steps[j];
          buildShifts[j] = steps[j] * offsets[j];
          oo += (double) offsets[j] * offsets[j];
        } else {
          buildScales[j] = -steps[j];
        }
      }
      offsetNorm = (float) oo;
    }
    kernels.decode(buildScales, buildShifts, codes, offset, folded);
    constant = metric == Metric.DOT ? offsetNorm + kernels.dot(buildShifts, codes, offset) : 0;
  }

  public Metric metric() {
    return metric;
  }

  public int dimension() {
    return folded.length;
  }

  /**
   * The approximate distance (in the sense of {@link Metric}) to the code row at {@code offset}.
   */
  public float distance(MemorySegment codes, long offset) {
    return distance(Int8Kernels.get(), codes, offset);
  }

  /** As {@link #distance(MemorySegment, long)} with the given kernels. */
  public float distance(Int8Kernels kernels, MemorySegment codes, long offset) {
    return switch (metric) {
      case L2 -> kernels.squareDistance(steps, folded, codes, offset);
      case DOT -> -(constant + kernels.dot(folded, codes, offset));
      case COSINE -> 0.5f * kernels.squareDistance(steps, folded, codes, offset);
    };
  }
}
