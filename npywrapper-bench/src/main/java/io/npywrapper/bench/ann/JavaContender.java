package io.npywrapper.bench.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Contender} for an {@link AnnEngine} in this JVM: every query once per pass, one query
 * per call, from one thread or from {@code threads} threads taking the next query in turn. Not
 * thread-safe.
 *
 * @param engine the built engine
 * @param variant its configuration as reported
 * @param build what building it cost
 * @param threads threads issuing queries
 * @param param the search parameter's name
 * @param values its values to measure
 * @param queries the query vectors
 * @param k neighbours per query
 */
record JavaContender(
    AnnEngine engine,
    String variant,
    AnnEngine.Build build,
    int threads,
    String param,
    int[] values,
    float[][] queries,
    int k)
    implements Contender {
  /** Queries run untimed before each pass. */
  static final int WARMUP = 200;

  /** Seconds of untimed searches through the values before the first pass. */
  static final double WARM_SECONDS = 3;

  @Override
  public String library() {
    return engine.library();
  }

  @Override
  public void warm() throws IOException {
    long end = System.nanoTime() + (long) (WARM_SECONDS * 1e9);
    int n = queries.length;
    for (int i = 0; i < 20 * n && System.nanoTime() < end; i++) {
      engine.search(queries[i % n], k, values[(i / n) % values.length]);
    }
  }

  @Override
  public Pass pass(int value, boolean keepIds) throws IOException, InterruptedException {
    for (int i = 0; i < Math.min(WARMUP, queries.length); i++) {
      engine.search(queries[i], k, value);
    }
    long[][] found = new long[queries.length][];
    long t0 = System.nanoTime();
    if (threads == 1) {
      for (int i = 0; i < queries.length; i++) {
        found[i] = engine.search(queries[i], k, value);
      }
    } else {
      parallel(found, value);
    }
    double qps = queries.length / ((System.nanoTime() - t0) / 1e9);
    return new Pass(qps, keepIds ? found : null);
  }

  private void parallel(long[][] found, int value) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < queries.length;
                      i = next.getAndIncrement()) {
                    try {
                      found[i] = engine.search(queries[i], k, value);
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
