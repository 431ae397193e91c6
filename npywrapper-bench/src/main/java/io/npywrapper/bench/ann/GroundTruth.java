package io.npywrapper.bench.ann;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact k nearest neighbours by squared L2 distance, by brute force: every query against every row
 * of a memory-mapped float32 {@code (rows, dim)} {@code .npy}, with the SIMD kernels of {@link
 * VectorKernels}. The rows are visited in blocks of about a megabyte and each block is scored
 * against all of a thread's queries before the next, so the data is read from memory once per
 * thread, not once per query. Ties are broken by the smaller row number. Independent of the
 * collection engine's search code, which it is used to check. Stateless and thread-safe.
 *
 * @param ids per query, the row numbers of the k nearest rows, nearest first
 * @param distances per query, their squared L2 distances
 */
public record GroundTruth(long[][] ids, float[][] distances) {

  /** Computes the {@code k} nearest rows of {@code train} to each query with {@code threads}. */
  public static GroundTruth compute(NpyArray train, float[][] queries, int k, int threads)
      throws InterruptedException {
    if (!train.dtype().equals(DType.FLOAT32) || train.rank() != 2) {
      throw new IllegalArgumentException(
          train.source() + ": expected a float32 (rows, dim) array, got " + train.header());
    }
    int dim = Math.toIntExact(train.rowLength());
    for (int q = 0; q < queries.length; q++) {
      if (queries[q].length != dim) {
        throw new IllegalArgumentException(
            "query " + q + " has dimension " + queries[q].length + ", the data has " + dim);
      }
    }
    long rows = train.rows();
    int kk = (int) Math.min(k, rows);
    long[][] ids = new long[queries.length][];
    float[][] dist = new float[queries.length][];
    int workers = Math.max(1, Math.min(threads, queries.length));
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
      for (int w = 0; w < workers; w++) {
        int from = (int) ((long) queries.length * w / workers);
        int to = (int) ((long) queries.length * (w + 1) / workers);
        done.add(
            pool.submit(() -> scan(train.data(), rows, dim, queries, from, to, kk, ids, dist)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("ground truth failed", e.getCause());
    }
    return new GroundTruth(ids, dist);
  }

  private static void scan(
      MemorySegment data,
      long rows,
      int dim,
      float[][] queries,
      int from,
      int to,
      int k,
      long[][] ids,
      float[][] dist) {
    VectorKernels kernels = VectorKernels.get();
    long rowBytes = (long) dim * Float.BYTES;
    long block = Math.max(1, (1 << 20) / rowBytes);
    Heap[] heaps = new Heap[to - from];
    for (int i = 0; i < heaps.length; i++) {
      heaps[i] = new Heap(k);
    }
    for (long start = 0; start < rows; start += block) {
      long end = Math.min(rows, start + block);
      for (int q = from; q < to; q++) {
        Heap h = heaps[q - from];
        float[] v = queries[q];
        for (long r = start; r < end; r++) {
          float d = kernels.squareDistance(v, data, r * rowBytes);
          if (h.size < k || d < h.dist[0]) {
            h.offer(d, r);
          }
        }
      }
    }
    for (int q = from; q < to; q++) {
      Heap h = heaps[q - from];
      ids[q] = new long[h.size];
      dist[q] = new float[h.size];
      h.drainSorted(ids[q], dist[q]);
    }
  }

  /**
   * A bounded max-heap of (distance, row): the root is the worst kept candidate. Rows arrive in
   * increasing order, so a candidate equal in distance to the root never displaces it: ties keep
   * the smaller row.
   */
  private static final class Heap {
    final float[] dist;
    final long[] row;
    int size;

    Heap(int k) {
      dist = new float[k];
      row = new long[k];
    }

    void offer(float d, long r) {
      if (size < dist.length) {
        int i = size++;
        dist[i] = d;
        row[i] = r;
        up(i);
      } else {
        dist[0] = d;
        row[0] = r;
        down(0);
      }
    }

    private boolean worse(int a, int b) {
      return dist[a] > dist[b] || (dist[a] == dist[b] && row[a] > row[b]);
    }

    private void up(int i) {
      while (i > 0) {
        int p = (i - 1) / 2;
        if (!worse(i, p)) {
          return;
        }
        swap(i, p);
        i = p;
      }
    }

    private void down(int i) {
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < size && worse(l, m)) {
          m = l;
        }
        if (r < size && worse(r, m)) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }

    private void swap(int a, int b) {
      float d = dist[a];
      dist[a] = dist[b];
      dist[b] = d;
      long r = row[a];
      row[a] = row[b];
      row[b] = r;
    }

    /** Empties the heap into the arrays, nearest first. */
    void drainSorted(long[] ids, float[] d) {
      for (int i = size - 1; i >= 0; i--) {
        ids[i] = row[0];
        d[i] = dist[0];
        size--;
        if (size > 0) {
          dist[0] = dist[size];
          row[0] = row[size];
          down(0);
        }
      }
    }
  }
}
