package io.npywrapper.bench.ann;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.VectorKernels;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One prepared benchmark data set in its directory, as plain {@code .npy} files every library
 * reads: {@code train.npy} float32 {@code (n, dim)}, {@code queries.npy} float32 {@code (q, dim)},
 * {@code gt.npy} int64 {@code (q, 100)} row numbers of the exact nearest rows (L2) and {@code
 * gt-distances.npy} float32 {@code (q, 100)} their squared distances. Row numbers are the ids: a
 * collection imported from {@code train.npy} without ids numbers its rows from 0. Immutable and
 * thread-safe; {@link #load} returns an open view that must be closed.
 *
 * @param name the data set's name, e.g. {@code fashion-mnist} or {@code clustered-100000x128}
 * @param dir the directory holding the files
 */
public record AnnDataset(String name, Path dir) {
  /** Ground-truth neighbours stored per query. */
  public static final int GT_K = 100;

  public Path train() {
    return dir.resolve("train.npy");
  }

  public Path queries() {
    return dir.resolve("queries.npy");
  }

  public Path gt() {
    return dir.resolve("gt.npy");
  }

  public Path gtDistances() {
    return dir.resolve("gt-distances.npy");
  }

  /** Opens the files: the training vectors mapped, queries and ground truth read into memory. */
  public Loaded load() throws IOException {
    NpyArray train = NpyArray.open(train());
    try {
      return new Loaded(
          this, train, readFloats(queries()), readLongs(gt()), readFloats(gtDistances()));
    } catch (IOException | RuntimeException e) {
      train.close();
      throw e;
    }
  }

  static float[][] readFloats(Path p) throws IOException {
    try (NpyArray a = NpyArray.open(p)) {
      if (a.rank() != 2) {
        throw new IllegalArgumentException(p + ": expected a 2-d array, got " + a.header());
      }
      float[][] out = new float[Math.toIntExact(a.rows())][];
      for (int i = 0; i < out.length; i++) {
        out[i] = a.readRow(i);
      }
      return out;
    }
  }

  static long[][] readLongs(Path p) throws IOException {
    try (NpyArray a = NpyArray.open(p)) {
      if (a.rank() != 2) {
        throw new IllegalArgumentException(p + ": expected a 2-d array, got " + a.header());
      }
      int rows = Math.toIntExact(a.rows());
      int cols = Math.toIntExact(a.rowLength());
      long[][] out = new long[rows][cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          out[i][j] = a.getLong(i, j);
        }
      }
      return out;
    }
  }

  /**
   * A data set opened for a run. Thread-safe for reading; close it once every user is done.
   *
   * @param set the data set
   * @param train the training vectors, memory-mapped
   * @param queries the query vectors
   * @param gt per query the exact nearest row numbers
   * @param gtDistances their squared L2 distances
   */
  public record Loaded(
      AnnDataset set, NpyArray train, float[][] queries, long[][] gt, float[][] gtDistances)
      implements AutoCloseable {

    public int dim() {
      return Math.toIntExact(train.rowLength());
    }

    public long rows() {
      return train.rows();
    }

    /** Recall@k of {@code found} (per query, ids nearest first), ties counted as hits. */
    public double recall(int k, long[][] found) {
      VectorKernels kernels = VectorKernels.get();
      long rowBytes = (long) dim() * Float.BYTES;
      return Recall.at(
          k,
          found,
          gt,
          gtDistances,
          (q, id) ->
              id < rows()
                  ? kernels.squareDistance(queries[q], train.data(), id * rowBytes)
                  : Float.POSITIVE_INFINITY);
    }

    @Override
    public void close() {
      train.close();
    }
  }
}
