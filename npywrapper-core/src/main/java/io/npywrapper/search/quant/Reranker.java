package io.npywrapper.search.quant;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Re-scores candidate rows exactly against the float32 rows of a memory-mapped {@code vectors.npy}
 * (read in place with {@link VectorKernels#get()}) and keeps the {@code k} nearest. This removes
 * the quantization error from the final ranking: only the order of the approximate candidates
 * matters, never their approximate distances.
 *
 * <p>Thread-safe (stateless apart from the read-only mapping, which the caller keeps open).
 */
public final class Reranker {
  /** Nearest first: by exact distance, then by row. */
  public static final Comparator<ScoredRow> ORDER =
      Comparator.comparingDouble(ScoredRow::distance).thenComparingInt(ScoredRow::row);

  private final MemorySegment data;
  private final int dim;
  private final long rows;
  private final Metric metric;
  private final VectorKernels kernels = VectorKernels.get();

  /**
   * Over the rows of {@code vectors}: a C-order little-endian float32 matrix.
   *
   * @throws IllegalArgumentException naming the file when it is not one
   */
  public Reranker(NpyArray vectors, Metric metric) {
    if (!vectors.dtype().equals(DType.FLOAT32)
        || vectors.rank() != 2
        || vectors.isFortranOrder()
        || vectors.rowLength() < 1
        || vectors.rowLength() > QuantizationParams.MAX_DIMENSION) {
      throw new IllegalArgumentException(
          vectors.source()
              + ": re-ranking needs a C-order little-endian float32 matrix, found "
              + vectors.header());
    }
    this.data = vectors.data();
    this.dim = (int) vectors.rowLength();
    this.rows = vectors.rows();
    this.metric = metric;
  }

  public Metric metric() {
    return metric;
  }

  /** Bytes of one float32 row (what re-ranking one candidate reads). */
  public long rowBytes() {
    return 4L * dim;
  }

  /** The exact distance between {@code query} and row {@code row}. */
  public float distance(float[] query, int row) {
    if (row < 0 || row >= rows) {
      throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows + ")");
    }
    return kernels.distance(metric, query, data, (long) row * 4 * dim);
  }

  /**
   * The {@code k} candidates among the first {@code count} of {@code candidates} nearest to {@code
   * query} by exact distance, nearest first (ties by row). Duplicate rows count once.
   */
  public List<ScoredRow> rerank(float[] query, int[] candidates, int count, int k) {
    if (query.length != dim) {
      throw new IllegalArgumentException(
          "query has " + query.length + " values, the vectors have " + dim);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int[] sorted = Arrays.copyOf(candidates, count);
    Arrays.sort(sorted); // ascending rows: sequential reads of the mapped file, and dedup
    ScoredRow[] scored = new ScoredRow[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        continue;
      }
      scored[n++] = new ScoredRow(sorted[i], distance(query, sorted[i]));
    }
    Arrays.sort(scored, 0, n, ORDER);
    return new ArrayList<>(Arrays.asList(scored).subList(0, Math.min(k, n)));
  }

  /**
   * As {@link #rerank(float[], int[], int, int)} for the best {@code count} candidates of a Lucene
   * search (its {@code scoreDocs} are best first) whose doc ids are row numbers (the default {@code
   * ordToDoc}); their approximate scores only decide which {@code count} are re-ranked.
   */
  public List<ScoredRow> rerank(float[] query, TopDocs candidates, int count, int k) {
    ScoreDoc[] docs = candidates.scoreDocs;
    int n = Math.min(count, docs.length);
    int[] rowsOf = new int[n];
    for (int i = 0; i < n; i++) {
      rowsOf[i] = docs[i].doc;
    }
    return rerank(query, rowsOf, n, k);
  }
}
