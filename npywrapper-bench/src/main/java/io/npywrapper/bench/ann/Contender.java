package io.npywrapper.bench.ann;

import java.io.IOException;

/**
 * One curve under test: a built index of one library, searched with one thread count over a range
 * of values of its search parameter. Not thread-safe; one pass at a time.
 */
interface Contender {

  /**
   * One timed pass over every query at one parameter value.
   *
   * @param qps queries per second of the pass
   * @param ids per query, the ids returned, nearest first
   */
  record Pass(double qps, long[][] ids) {}

  String library();

  String variant();

  /** Threads issuing queries, one query per call each. */
  int threads();

  /** The search parameter's name: {@code ef}, {@code nprobe} or {@code exact}. */
  String param();

  /** The parameter values to measure ({@code {0}} for an exact search). */
  int[] values();

  /** What building the index cost. */
  AnnEngine.Build build();

  /** Untimed searches before the first pass, so that a JIT has compiled the search. */
  void warm() throws IOException, InterruptedException;

  /**
   * Runs a short untimed warm-up and then every query once at {@code value}, timed; returns the ids
   * too when {@code keepIds}.
   */
  Pass pass(int value, boolean keepIds) throws IOException, InterruptedException;
}
