package io.npywrapper.bench;

import io.npywrapper.server.load.Latencies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One timed pass of closed-loop clients: {@code threads} platform threads, each with its own {@link
 * Op} (its own connection, for HTTP), call it back to back with query numbers cycling through
 * {@code [0, queries)} (each thread from its own offset) until the pass's time is up. Every call's
 * latency is recorded; the first failure ends the pass with an exception. The client threads can be
 * bound to a set of CPUs and the busy time of another set measured ({@link Placement}). Stateless;
 * thread-safe.
 */
final class ClientPass {
  private ClientPass() {}

  /** One client's way of running query number {@code q}; closed when its thread ends. */
  interface Op extends AutoCloseable {
    void call(int q) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /** Makes one {@link Op} per client thread. */
  interface Work {
    Op open() throws Exception;
  }

  /**
   * Where a pass runs: client threads bound to {@code clients} (null: wherever the kernel puts
   * them), and the busy time of {@code measured} recorded (null: not measured).
   */
  record Placement(CpuSet clients, CpuSet measured) {
    static final Placement ANYWHERE = new Placement(null, null);
  }

  /**
   * What a pass measured; {@code cpuSeconds} is the CPU time of the whole process during the pass
   * (clients, server, JIT and GC alike), which unlike latency does not grow with the time threads
   * wait for a core on a busy machine; {@code measuredCpuSeconds} is the busy time of the
   * placement's measured CPUs (NaN when none), kernel work on them included.
   */
  record Result(
      long calls,
      double seconds,
      double p50Ms,
      double p99Ms,
      double cpuSeconds,
      double measuredCpuSeconds) {
    double qps() {
      return calls / seconds;
    }

    /** Process CPU time per call, microseconds. */
    double cpuMicros() {
      return cpuSeconds * 1e6 / calls;
    }

    /** Busy time of the measured CPUs per call, microseconds (NaN when not measured). */
    double measuredCpuMicros() {
      return measuredCpuSeconds * 1e6 / calls;
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private static Op open(Work work, Placement placement) throws Exception {
    if (placement.clients() != null) {
      placement.clients().bindCurrentThread();
    }
    return work.open();
  }

  static Result run(Work work, int threads, double seconds, int queries, Placement placement)
      throws Exception {
    List<Latencies> perThread = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Latencies lat = new Latencies();
      perThread.add(lat);
      int offset = (int) ((long) t * queries / threads);
      ts.add(
          Thread.ofPlatform()
              .name("bench-client-" + t)
              .start(
                  () -> {
                    try (Op op = open(work, placement)) {
                      ready.countDown();
                      go.await();
                      for (int i = 0;
                          System.nanoTime() < deadline[0] && failure.get() == null;
                          i++) {
                        long t0 = System.nanoTime();
                        op.call((offset + i) % queries);
                        lat.add(System.nanoTime() - t0);
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                      ready.countDown();
                    }
                  }));
    }
    ready.await();
    long busy0 = placement.measured() == null ? 0 : placement.measured().busyNanos();
    long cpu0 = OS.getProcessCpuTime();
    long start = System.nanoTime();
    deadline[0] = start + (long) (seconds * 1e9);
    go.countDown();
    for (Thread t : ts) {
      t.join();
    }
    long end = System.nanoTime();
    long cpu1 = OS.getProcessCpuTime();
    long busy1 = placement.measured() == null ? 0 : placement.measured().busyNanos();
    if (failure.get() != null) {
      throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
    }
    Latencies all = new Latencies();
    perThread.forEach(all::merge);
    return new Result(
        all.count(),
        (end - start) / 1e9,
        all.percentile(50) / 1e6,
        all.percentile(99) / 1e6,
        (cpu1 - cpu0) / 1e9,
        placement.measured() == null ? Double.NaN : (busy1 - busy0) / 1e9);
  }
}
