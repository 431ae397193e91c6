package io.npywrapper.server.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load run measured: per kind of operation the successful calls, the failures, throughput
 * and latency percentiles, and the first failure messages. Immutable and thread-safe.
 *
 * @param seconds how long the clients ran
 * @param ops one line per kind of operation, by name
 * @param failures the first failure messages (at most 20)
 */
public record LoadReport(double seconds, List<OpStats> ops, List<String> failures) {
  /**
   * One kind of operation.
   *
   * @param op its name, e.g. {@code search}, {@code add}
   * @param calls calls that succeeded
   * @param errors calls that failed (non-2xx status, wrong answer, transport error)
   * @param perSecond successful calls per second of the run
   * @param p50Ms median latency of the successful calls, milliseconds
   * @param p99Ms 99th percentile, milliseconds
   * @param maxMs the slowest, milliseconds
   */
  public record OpStats(
      String op,
      long calls,
      long errors,
      double perSecond,
      double p50Ms,
      double p99Ms,
      double maxMs) {}

  public LoadReport {
    ops = List.copyOf(ops);
    failures = List.copyOf(failures);
  }

  static LoadReport of(double seconds, OpLog log) {
    List<OpStats> ops = new ArrayList<>();
    for (Map.Entry<String, Latencies> e : log.ok().entrySet()) {
      Latencies l = e.getValue();
      ops.add(
          new OpStats(
              e.getKey(),
              l.count(),
              log.errors(e.getKey()),
              l.count() / seconds,
              l.percentile(50) / 1e6,
              l.percentile(99) / 1e6,
              l.max() / 1e6));
    }
    return new LoadReport(seconds, ops, log.messages());
  }

  /** Failed calls of every kind. */
  public long errors() {
    return ops.stream().mapToLong(OpStats::errors).sum();
  }

  /** Successful calls of every kind. */
  public long calls() {
    return ops.stream().mapToLong(OpStats::calls).sum();
  }

  /** The line of {@code op}, if any call of that kind was made. */
  public java.util.Optional<OpStats> op(String op) {
    return ops.stream().filter(o -> o.op().equals(op)).findFirst();
  }

  /** A fixed-width table, one line per kind of operation and a total. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-14s %9s %7s %10s %9s %9s %9s%n",
            "op",
            "calls",
            "errors",
            "per s",
            "p50 ms",
            "p99 ms",
            "max ms"));
    for (OpStats o : ops) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-14s %9d %7d %10.1f %9.2f %9.2f %9.2f%n",
              o.op(),
              o.calls(),
              o.errors(),
              o.perSecond(),
              o.p50Ms(),
              o.p99Ms(),
              o.maxMs()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%-14s %9d %7d %10.1f   (%.1f s)%n",
            "total",
            calls(),
            errors(),
            calls() / seconds,
            seconds));
    for (String f : failures) {
      b.append("FAILED ").append(f).append('\n');
    }
    return b.toString();
  }

  /** The figures as one JSON object. */
  public String json() {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"seconds\":%.3f,\"calls\":%d,\"errors\":%d,\"ops\":[",
                seconds,
                calls(),
                errors()));
    for (int i = 0; i < ops.size(); i++) {
      OpStats o = ops.get(i);
      b.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"op\":\"%s\",\"calls\":%d,\"errors\":%d,\"per_s\":%.1f,\"p50_ms\":%.3f,"
                      + "\"p99_ms\":%.3f,\"max_ms\":%.3f}",
                  o.op(),
                  o.calls(),
                  o.errors(),
                  o.perSecond(),
                  o.p50Ms(),
                  o.p99Ms(),
                  o.maxMs()));
    }
    return b.append("]}").toString();
  }
}
