package io.npywrapper.server.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a running server with concurrent clients for a bounded time and reports what happened:
 * {@link LoadOptions#readers()} query clients ({@link ReaderClient}) and {@link
 * LoadOptions#writers()} writer clients ({@link WriterClient}), each on its own platform thread
 * with its own HTTP/1.1 connection, all started together and stopping by themselves at the
 * deadline. A client still busy a request timeout after the deadline is interrupted and reported as
 * a failure, so a run never hangs. Meant for loopback servers in tests and benchmarks.
 *
 * <pre>{@code
 * LoadReport r = LoadDriver.run(server.uri(), LoadOptions.defaults("load", 128, 100_000));
 * System.out.print(r.table());
 * }</pre>
 *
 * <p>Thread-safe: each call runs its own clients.
 */
public final class LoadDriver {
  static final String STOP = "stop";

  private LoadDriver() {}

  /** Runs the load against the server at {@code base} and returns the report. */
  public static LoadReport run(URI base, LoadOptions o) throws InterruptedException {
    List<OpLog> logs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<LoadHttp> connections = new ArrayList<>();
    int clients = o.readers() + o.writers();
    // HTTP clients first: the first one in a JVM can take seconds (TLS context, class loading),
    // which must not eat into the run.
    for (int i = 0; i < clients; i++) {
      connections.add(new LoadHttp(base, i < o.readers() ? o.readerToken() : o.writerToken()));
    }
    long start = System.nanoTime();
    long deadline = start + o.duration().toNanos();
    for (int i = 0; i < clients; i++) {
      boolean reader = i < o.readers();
      OpLog log = new OpLog();
      logs.add(log);
      LoadHttp http = connections.get(i);
      Runnable client =
          reader
              ? new ReaderClient(http, o, o.seed() + i, deadline, log)
              : new WriterClient(http, o, i - o.readers(), o.seed() + i, deadline, log);
      threads.add(
          Thread.ofPlatform()
              .name((reader ? "load-reader-" : "load-writer-") + i)
              .daemon()
              .start(client));
    }
    long joinBy = deadline + LoadHttp.TIMEOUT.toNanos() + 5_000_000_000L;
    OpLog stuck = new OpLog();
    for (Thread t : threads) {
      long left = joinBy - System.nanoTime();
      if (left > 0) {
        t.join(left / 1_000_000 + 1);
      }
      if (t.isAlive()) {
        t.interrupt();
        stuck.error(STOP, t.getName() + " still busy after the deadline and a request timeout");
      }
    }
    double seconds = (Math.min(System.nanoTime(), joinBy) - start) / 1e9;
    OpLog all = new OpLog();
    logs.forEach(all::merge);
    all.merge(stuck);
    connections.forEach(LoadHttp::close);
    return LoadReport.of(seconds, all);
  }
}
