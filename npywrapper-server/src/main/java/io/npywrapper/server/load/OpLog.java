package io.npywrapper.server.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client's record of what it did: per kind of operation the latencies of the calls that
 * succeeded and the number that failed, plus the first failure messages. Not thread-safe: one per
 * client thread, merged at the end.
 */
final class OpLog {
  static final int MAX_MESSAGES = 20;

  private final Map<String, Latencies> ok = new TreeMap<>();
  private final Map<String, Long> errors = new TreeMap<>();
  private final List<String> messages = new ArrayList<>();

  void ok(String op, long nanos) {
    ok.computeIfAbsent(op, o -> new Latencies()).add(nanos);
  }

  void error(String op, String message) {
    errors.merge(op, 1L, Long::sum);
    ok.computeIfAbsent(op, o -> new Latencies());
    if (messages.size() < MAX_MESSAGES) {
      messages.add(op + ": " + message);
    }
  }

  void merge(OpLog other) {
    other.ok.forEach((op, l) -> ok.computeIfAbsent(op, o -> new Latencies()).merge(l));
    other.errors.forEach((op, n) -> errors.merge(op, n, Long::sum));
    for (String m : other.messages) {
      if (messages.size() < MAX_MESSAGES) {
        messages.add(m);
      }
    }
  }

  Map<String, Latencies> ok() {
    return ok;
  }

  long errors(String op) {
    return errors.getOrDefault(op, 0L);
  }

  List<String> messages() {
    return messages;
  }
}
