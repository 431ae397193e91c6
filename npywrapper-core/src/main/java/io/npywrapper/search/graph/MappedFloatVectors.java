package io.npywrapper.search.graph;

import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Float32 C-order rows read in place from a memory segment (the data of a memory-mapped {@code
 * vectors.npy}), scored with this JVM's {@link VectorKernels}. No copy of the vectors is made: a
 * query scorer reads row {@code ord} at byte {@code ord * 4 * dim}. Thread-safe; the scorers it
 * returns are not.
 */
public final class MappedFloatVectors implements GraphVectors {
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment data;
  private final int size;
  private final int dim;
  private final Metric metric;
  private final VectorKernels kernels;
  private final long rowBytes;

  /**
   * @param data {@code size * dim} little-endian float32 values, row after row
   * @throws IllegalArgumentException when {@code data} is too small for {@code size} rows
   */
  public MappedFloatVectors(
      MemorySegment data, int size, int dim, Metric metric, VectorKernels kernels) {
    this.data = Objects.requireNonNull(data, "data");
    this.metric = Objects.requireNonNull(metric, "metric");
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    if (size < 0 || dim < 1) {
      throw new IllegalArgumentException("bad shape (" + size + ", " + dim + ")");
    }
    this.size = size;
    this.dim = dim;
    this.rowBytes = 4L * dim;
    if (data.byteSize() < size * rowBytes) {
      throw new IllegalArgumentException(
          "vector data holds "
              + data.byteSize()
              + " bytes, "
              + size
              + " rows need "
              + size * rowBytes);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public Metric metric() {
    return metric;
  }

  @Override
  public float distance(float[] query, int ord) {
    return kernels.distance(metric, query, data, ord * rowBytes);
  }

  /** Copies row {@code ord} into {@code dst}. */
  void read(int ord, float[] dst) {
    MemorySegment.copy(data, FLOAT_LE, ord * rowBytes, dst, 0, dim);
  }

  @Override
  public RandomVectorScorer queryScorer(float[] query) {
    if (query.length != dim) {
      throw new IllegalArgumentException(
          "query has dimension " + query.length + ", the vectors have " + dim);
    }
    return new Scorer(query.clone());
  }

  @Override
  public RandomVectorScorerSupplier buildScorers() {
    return new Supplier();
  }

  /** Scores every ordinal against one query vector. */
  private final class Scorer implements UpdateableRandomVectorScorer {
    private final float[] query;
    private long[] offsets = new long[32];
    private float[] distances = new float[32];

    Scorer(float[] query) {
      this.query = query;
    }

    @Override
    public float bulkScore(int[] nodes, float[] scores, int numNodes) {
      if (offsets.length < numNodes) {
        offsets = new long[numNodes];
        distances = new float[numNodes];
      }
      for (int i = 0; i < numNodes; i++) {
        offsets[i] = nodes[i] * rowBytes;
      }
      // Several rows per kernel pass, so their (mostly uncached) loads overlap.
      kernels.distances(metric, query, data, offsets, numNodes, distances);
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < numNodes; i++) {
        scores[i] = Scores.score(metric, distances[i]);
        max = Math.max(max, scores[i]);
      }
      return max;
    }

    @Override
    public float score(int ord) {
      return Scores.score(metric, kernels.distance(metric, query, data, ord * rowBytes));
    }

    @Override
    public int maxOrd() {
      return size;
    }

    @Override
    public void setScoringOrdinal(int node) {
      read(node, query);
    }
  }

  /** Hands out build scorers, each with its own copy of the node being linked. */
  private final class Supplier implements RandomVectorScorerSupplier {
    @Override
    public UpdateableRandomVectorScorer scorer() {
      return new Scorer(new float[dim]);
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return new Supplier();
    }
  }
}
