package io.npywrapper.server;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts and latency histograms per route, method and status, with the Prometheus text
 * exposition (format 0.0.4) served at {@code /metrics}. Thread-safe; recording is lock-free.
 */
final class HttpMetrics {
  /** Histogram bucket upper bounds, in seconds. */
  static final double[] BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private record Key(String route, String method, int status) {}

  private static final class Series {
    final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    Series() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }
  }

  private final Map<Key, Series> series = new ConcurrentHashMap<>();
  private final LongAdder inFlight = new LongAdder();

  void started() {
    inFlight.increment();
  }

  /** Records one answered request that took {@code nanos}. */
  void record(String route, String method, int status, long nanos) {
    inFlight.decrement();
    Series s = series.computeIfAbsent(new Key(route, method, status), k -> new Series());
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        s.buckets[i].increment();
        break;
      }
    }
    s.count.increment();
    s.sum.add(seconds);
  }

  /** The exposition text. */
  String scrape() {
    Map<Key, Series> sorted =
        new TreeMap<>(
            Comparator.comparing(Key::route)
                .thenComparing(Key::method)
                .thenComparingInt(Key::status));
    sorted.putAll(series);
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP npyw_http_requests_total HTTP requests answered.\n");
    sb.append("# TYPE npyw_http_requests_total counter\n");
    sorted.forEach(
        (k, s) ->
            sb.append("npyw_http_requests_total")
                .append(labels(k, null))
                .append(' ')
                .append(s.count.sum())
                .append('\n'));
    sb.append(
        "# HELP npyw_http_request_duration_seconds Time from an HTTP request to its answer, until sent.\n");
    sb.append("# TYPE npyw_http_request_duration_seconds histogram\n");
    sorted.forEach(
        (k, s) -> {
          long cumulative = 0;
          for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += s.buckets[i].sum();
            sb.append("npyw_http_request_duration_seconds_bucket")
                .append(labels(k, format(BUCKETS[i])))
                .append(' ')
                .append(cumulative)
                .append('\n');
          }
          long count = s.count.sum();
          sb.append("npyw_http_request_duration_seconds_bucket")
              .append(labels(k, "+Inf"))
              .append(' ')
              .append(count)
              .append('\n');
          sb.append("npyw_http_request_duration_seconds_sum")
              .append(labels(k, null))
              .append(' ')
              .append(format(s.sum.sum()))
              .append('\n');
          sb.append("npyw_http_request_duration_seconds_count")
              .append(labels(k, null))
              .append(' ')
              .append(count)
              .append('\n');
        });
    sb.append("# HELP npyw_http_requests_in_flight HTTP requests being answered now.\n");
    sb.append("# TYPE npyw_http_requests_in_flight gauge\n");
    sb.append("npyw_http_requests_in_flight ").append(inFlight.sum()).append('\n');
    return sb.toString();
  }

  private static String labels(Key k, String le) {
    StringBuilder sb =
        new StringBuilder("{route=\"")
            .append(escape(k.route()))
            .append("\",method=\"")
            .append(escape(k.method()))
            .append("\",status=\"")
            .append(k.status())
            .append('"');
    if (le != null) {
      sb.append(",le=\"").append(le).append('"');
    }
    return sb.append('}').toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String format(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }
}
