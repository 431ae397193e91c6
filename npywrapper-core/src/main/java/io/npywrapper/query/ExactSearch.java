package io.npywrapper.query;

import io.npywrapper.collection.Row;
import io.npywrapper.collection.Selection;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.Metric;
import io.npywrapper.search.TopK;
import io.npywrapper.search.VectorKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Exact k-nearest-neighbour search over a {@link Selection}: every selected row of every segment
 * (read in place from the memory-mapped vectors) and of the memtable is scored against every query
 * vector, each row read once per batch. The work is cut into units (a range of up to {@link
 * #UNIT_ROWS} row positions of one segment, or the memtable) that up to {@code threads} virtual
 * threads take in turn; each thread keeps a bounded {@link TopK} per query vector, and the
 * per-thread lists are merged. Ties are broken by id, so the result does not depend on the split.
 * Not thread-safe; one instance per query.
 */
final class ExactSearch {
  static final int UNIT_ROWS = 1 << 16;

  /** Row numbers taken from a selection bitmap per call (see {@link #scanSegment}). */
  static final int BATCH = 256;

  private final Selection sel;
  private final Metric metric;
  private final int dim;
  private final int threads;
  private final boolean[] include;
  private final boolean memtable;
  private final VectorKernels kernels = VectorKernels.get();

  /** A slice of work: row positions {@code [from, to)} of segment {@code s}; s = -1 memtable. */
  private record Unit(int s, int from, long to) {}

  ExactSearch(Selection sel, Metric metric, int dim, int threads) {
    this(sel, metric, dim, threads, null, true);
  }

  /**
   * A search of only the segments {@code include} marks (every one when null), and of the memtable
   * when {@code memtable} is true.
   */
  ExactSearch(
      Selection sel, Metric metric, int dim, int threads, boolean[] include, boolean memtable) {
    this.sel = sel;
    this.metric = metric;
    this.dim = dim;
    this.threads = threads;
    this.include = include;
    this.memtable = memtable;
  }

  /** For each query vector, up to {@code window} nearest candidates, nearest first. */
  List<List<TopK.Candidate>> search(float[][] queries, int window) throws IOException {
    List<Unit> units = units();
    int workers = Math.max(1, Math.min(threads, units.size()));
    AtomicInteger next = new AtomicInteger();
    List<TopK[]> partial = new ArrayList<>();
    if (workers == 1) {
      partial.add(work(units, next, queries, window));
    } else {
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<TopK[]>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          futures.add(pool.submit(() -> work(units, next, queries, window)));
        }
        for (Future<TopK[]> f : futures) {
          partial.add(join(f));
        }
      }
    }
    List<List<TopK.Candidate>> out = new ArrayList<>(queries.length);
    for (int q = 0; q < queries.length; q++) {
      TopK merged = partial.get(0)[q];
      for (int p = 1; p < partial.size(); p++) {
        merged.addAll(partial.get(p)[q]);
      }
      out.add(merged.sorted());
    }
    return out;
  }

  private static TopK[] join(Future<TopK[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("search interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      switch (c) {
        case UncheckedIOException u -> throw u.getCause();
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IOException(c);
      }
    }
  }

  private List<Unit> units() {
    List<Unit> units = new ArrayList<>();
    for (int s = 0; s < sel.segmentCount(); s++) {
      RoaringBitmap rows = sel.rows(s);
      if (rows.isEmpty() || (include != null && !include[s])) {
        continue;
      }
      long last = Integer.toUnsignedLong(rows.last());
      for (long from = Integer.toUnsignedLong(rows.first()); from <= last; from += UNIT_ROWS) {
        units.add(new Unit(s, (int) from, Math.min(last + 1, from + UNIT_ROWS)));
      }
    }
    if (memtable && !sel.memRows().isEmpty()) {
      units.add(new Unit(-1, 0, sel.memRows().size()));
    }
    return units;
  }

  private TopK[] work(List<Unit> units, AtomicInteger next, float[][] queries, int window) {
    TopK[] heaps = new TopK[queries.length];
    for (int q = 0; q < queries.length; q++) {
      heaps[q] = new TopK(window);
    }
    try {
      for (int u = next.getAndIncrement(); u < units.size(); u = next.getAndIncrement()) {
        Unit unit = units.get(u);
        if (unit.s() < 0) {
          scanMemtable(queries, heaps);
        } else {
          scanSegment(unit, queries, heaps);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return heaps;
  }

  private void scanMemtable(float[][] queries, TopK[] heaps) {
    List<Row> rows = sel.memRows();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      for (int q = 0; q < queries.length; q++) {
        float d = kernels.distance(metric, queries[q], r.vector());
        if (heaps[q].accepts(d)) {
          heaps[q].add(new TopK.Candidate(d, r.id(), -1, i));
        }
      }
    }
  }

  /**
   * Scores the selected rows of one unit. The rows come from the selection's bitmap a batch at a
   * time ({@link BatchIterator}, {@link #BATCH} row numbers per call) rather than one iterator call
   * per row: on a 128-dimensional set the per-row iterator cost a quarter of the memory-bandwidth
   * floor. Rows of a float32 C-order file are read in place: a whole batch per call when the
   * kernels fuse the scan for this metric and dimension ({@link VectorKernels#fusesScan}; only rows
   * within the heap's current limit come back), else one row per call.
   */
  private void scanSegment(Unit unit, float[][] queries, TopK[] heaps) throws IOException {
    NpyArray vectors = sel.vectors(unit.s());
    boolean inPlace = vectors.dtype().equals(DType.FLOAT32) && !vectors.isFortranOrder();
    if (inPlace && kernels.fusesScan(metric, dim)) {
      scanFused(unit, vectors.data(), queries, heaps);
      return;
    }
    MemorySegment data = vectors.data();
    float[] buf = inPlace ? null : new float[dim];
    long rowBytes = 4L * dim;
    forEachBatch(
        unit,
        (batch, n) -> {
          for (int j = 0; j < n; j++) {
            long row = Integer.toUnsignedLong(batch[j]);
            if (!inPlace) {
              vectors.readRow(row, buf, 0);
            }
            Object id = null;
            for (int q = 0; q < queries.length; q++) {
              float d =
                  inPlace
                      ? kernels.distance(metric, queries[q], data, row * rowBytes)
                      : kernels.distance(metric, queries[q], buf);
              if (heaps[q].accepts(d)) {
                if (id == null) {
                  id = sel.id(unit.s(), row);
                }
                heaps[q].add(new TopK.Candidate(d, id, unit.s(), row));
              }
            }
          }
        });
  }

  /** {@link #scanSegment} with the kernels' fused scan: a batch of rows per kernel call. */
  private void scanFused(Unit unit, MemorySegment data, float[][] queries, TopK[] heaps)
      throws IOException {
    long rowBytes = 4L * dim;
    long[] offsets = new long[BATCH];
    int[] hits = new int[BATCH];
    float[] hitDistances = new float[BATCH];
    forEachBatch(
        unit,
        (batch, n) -> {
          for (int j = 0; j < n; j++) {
            offsets[j] = Integer.toUnsignedLong(batch[j]) * rowBytes;
          }
          for (int q = 0; q < queries.length; q++) {
            TopK heap = heaps[q];
            int h =
                kernels.distancesAtMost(
                    metric, queries[q], data, offsets, n, heap.limit(), hits, hitDistances);
            for (int i = 0; i < h; i++) {
              if (heap.accepts(hitDistances[i])) {
                long row = Integer.toUnsignedLong(batch[hits[i]]);
                heap.add(new TopK.Candidate(hitDistances[i], sel.id(unit.s(), row), unit.s(), row));
              }
            }
          }
        });
  }

  /** Receives one batch of a unit's selected row numbers: {@code rows[0..count)}, ascending. */
  @FunctionalInterface
  private interface RowBatch {
    void accept(int[] rows, int count) throws IOException;
  }

  /**
   * Hands {@code scan} the unit's selected rows from the selection's bitmap, {@link #BATCH} at a
   * time and in order, stopping at the unit's end.
   */
  private void forEachBatch(Unit unit, RowBatch scan) throws IOException {
    long to = unit.to();
    int[] batch = new int[BATCH];
    BatchIterator it = sel.rows(unit.s()).getBatchIterator();
    it.advanceIfNeeded(unit.from());
    while (it.hasNext()) {
      int n = it.nextBatch(batch);
      int inUnit = 0;
      while (inUnit < n && Integer.toUnsignedLong(batch[inUnit]) < to) {
        inUnit++;
      }
      scan.accept(batch, inUnit);
      if (inUnit < n) {
        return;
      }
    }
  }
}
