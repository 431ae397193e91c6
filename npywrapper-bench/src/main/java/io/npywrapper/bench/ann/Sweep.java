package io.npywrapper.bench.ann;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times an {@link AnnEngine} over every query, one query per call: from one thread, or from {@code
 * threads} threads taking the next query in turn. Each run is preceded by a warm-up over the first
 * queries; recall comes from the first timed run, QPS is the median of {@code reps} runs. Not
 * thread-safe; one sweep at a time.
 *
 * @param data the data set with its queries and ground truth
 * @param k neighbours per query
 * @param reps timed runs per point
 * @param log progress
 */
record Sweep(AnnDataset.Loaded data, int k, int reps, PrintStream log) {
  /** Queries run untimed before each point. */
  static final int WARMUP = 200;

  /** Seconds of untimed searches before a curve. */
  static final int WARM_SECONDS = 3;

  /** Measures one point of {@code engine} at breadth {@code value} with {@code threads}. */
  AnnPoint point(
      AnnEngine engine, String param, int value, int threads, int runs, AnnEngine.Build build)
      throws IOException, InterruptedException {
    float[][] qs = data.queries();
    long[][] found = new long[qs.length][];
    for (int i = 0; i < Math.min(WARMUP, qs.length); i++) {
      engine.search(qs[i], k, value);
    }
    double[] qps = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      if (threads == 1) {
        for (int i = 0; i < qs.length; i++) {
          found[i] = engine.search(qs[i], k, value);
        }
      } else {
        parallel(engine, qs, found, k, value, threads);
      }
      qps[r] = qs.length / ((System.nanoTime() - t0) / 1e9);
    }
    double recall = data.recall(k, found);
    double[] sorted = qps.clone();
    Arrays.sort(sorted);
    double median =
        runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
    AnnPoint p =
        new AnnPoint(
            data.set().name(),
            engine.library(),
            engine.variant(),
            threads,
            param,
            value,
            recall,
            median,
            qps,
            build);
    log.printf(
        Locale.ROOT,
        "  %-8s %-28s threads=%d %s=%-4d recall@%d=%.4f qps=%,.0f%n",
        p.library(),
        p.variant(),
        threads,
        param,
        value,
        k,
        recall,
        median);
    return p;
  }

  /**
   * Measures {@code engine} at every breadth in {@code values}, after {@link #WARM_SECONDS} of
   * untimed searches through the breadths so that the JIT has compiled the search loops.
   */
  List<AnnPoint> curve(
      AnnEngine engine, String param, int[] values, int threads, AnnEngine.Build build)
      throws IOException, InterruptedException {
    float[][] qs = data.queries();
    long end = System.nanoTime() + WARM_SECONDS * 1_000_000_000L;
    for (int i = 0; System.nanoTime() < end; i++) {
      engine.search(qs[i % qs.length], k, values[(i / qs.length) % values.length]);
    }
    List<AnnPoint> out = new ArrayList<>();
    for (int v : values) {
      out.add(point(engine, param, v, threads, reps, build));
    }
    return out;
  }

  private static void parallel(
      AnnEngine engine, float[][] qs, long[][] found, int k, int value, int threads)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < qs.length; i = next.getAndIncrement()) {
                    try {
                      found[i] = engine.search(qs[i], k, value);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("search failed", e.getCause());
    }
  }
}
