package io.npywrapper.query;

import io.npywrapper.collection.Selection;
import io.npywrapper.search.Metric;
import io.npywrapper.search.TopK;
import io.npywrapper.search.graph.GraphIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.RoaringBitmap;

/**
 * Nearest-neighbour search that plans each segment: a segment with a graph index is walked with its
 * accepted rows (filter result minus deleted and memtable-shadowed rows) as the walk's accept-set,
 * unless so few rows are accepted that scoring them all is cheaper ({@link #exactBelow}: no more
 * than the nodes an unfiltered walk is expected to score, and at least {@link #EXACT_FACTOR} times
 * the candidate list); segments without an index and the memtable are scanned exactly. A walk that
 * stops at its visit limit (as many nodes as rows accepted: past that an exact scan is cheaper) or
 * finds fewer than {@code window} rows where that many are accepted is redone exactly for that
 * segment, so a query never returns fewer rows than match. Per-segment lists are merged by
 * distance, ties by id. Not thread-safe; one instance per query.
 */
final class NearestSearch {
  /** Candidate list size when the query does not give one. */
  static final int DEFAULT_EF = 100;

  /**
   * A segment is always scanned exactly when it accepts at most this many times {@code ef} rows.
   */
  static final int EXACT_FACTOR = 4;

  private final Selection sel;
  private final Metric metric;
  private final int dim;
  private final int threads;
  private final int ef;
  private final int rerank;

  /** How one segment is searched. */
  private record Plan(int s, GraphIndex graph, RoaringBitmap accept, int accepted) {}

  /**
   * @param rerank candidates re-ranked exactly per walk of a quantized index, 0 for the index's
   *     default (see {@link GraphIndex#search(float[], int, int, int, RoaringBitmap, int, long)})
   */
  NearestSearch(Selection sel, Metric metric, int dim, int threads, int ef, int rerank) {
    this.sel = sel;
    this.metric = metric;
    this.dim = dim;
    this.threads = threads;
    this.ef = ef;
    this.rerank = rerank;
  }

  /** Accepted rows at or below which a segment is scanned instead of walked. */
  static long exactBelow(GraphIndex g, int searchEf) {
    return Math.max((long) EXACT_FACTOR * searchEf, g.expectedVisits(searchEf));
  }

  /** For each query vector, up to {@code window} nearest candidates, nearest first. */
  List<List<TopK.Candidate>> search(float[][] queries, int window) throws IOException {
    int searchEf = Math.max(ef, window);
    boolean[] exact = new boolean[sel.segmentCount()];
    List<Plan> walks = new ArrayList<>();
    for (int s = 0; s < sel.segmentCount(); s++) {
      RoaringBitmap rows = sel.rows(s);
      long accepted = rows.getLongCardinality();
      if (accepted == 0) {
        continue;
      }
      GraphIndex g = sel.graph(s);
      if (g == null || accepted <= exactBelow(g, searchEf)) {
        exact[s] = true;
      } else {
        boolean all = accepted == sel.segmentRows(s);
        walks.add(new Plan(s, g, all ? null : rows, (int) accepted));
      }
    }
    List<List<TopK.Candidate>> base =
        new ExactSearch(sel, metric, dim, threads, exact, true).search(queries, window);
    if (walks.isEmpty()) {
      return base;
    }
    // One task per (query vector, walked segment); each yields that segment's top list.
    int tasks = queries.length * walks.size();
    @SuppressWarnings("unchecked")
    List<TopK.Candidate>[] found = new List[tasks];
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
            int q = t / walks.size();
            found[t] = walk(walks.get(t % walks.size()), queries[q], window, searchEf);
          }
        };
    int workers = Math.min(threads, tasks);
    if (workers <= 1) {
      try {
        worker.run();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    } else {
      runAll(worker, workers);
    }
    List<List<TopK.Candidate>> out = new ArrayList<>(queries.length);
    for (int q = 0; q < queries.length; q++) {
      TopK merged = new TopK(window);
      base.get(q).forEach(merged::add);
      for (int w = 0; w < walks.size(); w++) {
        found[q * walks.size() + w].forEach(merged::add);
      }
      out.add(merged.sorted());
    }
    return out;
  }

  /**
   * One segment's nearest rows for one query: the graph walk, or an exact scan when it falls short.
   */
  private List<TopK.Candidate> walk(Plan p, float[] query, int window, int searchEf) {
    try {
      long limit = p.accept() == null ? Long.MAX_VALUE : p.accepted();
      GraphIndex.Neighbors n =
          p.graph().search(query, window, searchEf, rerank, p.accept(), p.accepted(), limit);
      if (n.incomplete() || n.rows().length < Math.min(window, p.accepted())) {
        boolean[] only = new boolean[sel.segmentCount()];
        only[p.s()] = true;
        return new ExactSearch(sel, metric, dim, 1, only, false)
            .search(new float[][] {query}, window)
            .get(0);
      }
      List<TopK.Candidate> out = new ArrayList<>(n.rows().length);
      for (int i = 0; i < n.rows().length; i++) {
        int row = n.rows()[i];
        out.add(new TopK.Candidate(n.distances()[i], sel.id(p.s(), row), p.s(), row));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void runAll(Runnable worker, int workers) throws IOException {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        futures.add(pool.submit(worker));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("search interrupted", e);
        } catch (ExecutionException e) {
          switch (e.getCause()) {
            case UncheckedIOException u -> throw u.getCause();
            case RuntimeException r -> throw r;
            case Error err -> throw err;
            default -> throw new IOException(e.getCause());
          }
        }
      }
    }
  }
}
