package io.npywrapper.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Header fields of one request or answer: names compared case-insensitively, the values of a name
 * kept in arrival order. Not thread-safe (one per exchange).
 */
public final class Headers {
  private final TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** The first value of {@code name}, or null. */
  public String first(String name) {
    List<String> v = fields.get(name);
    return v == null ? null : v.getFirst();
  }

  /** Every value of {@code name}, in arrival order (empty when absent). */
  public List<String> all(String name) {
    List<String> v = fields.get(name);
    return v == null ? List.of() : List.copyOf(v);
  }

  /** Adds a value to {@code name}. */
  public void add(String name, String value) {
    fields.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
  }

  /** Replaces every value of {@code name} by {@code value}. */
  public void set(String name, String value) {
    List<String> v = new ArrayList<>(1);
    v.add(value);
    fields.put(name, v);
  }

  public void remove(String name) {
    fields.remove(name);
  }

  public boolean contains(String name) {
    return fields.containsKey(name);
  }

  /** Calls {@code action} once per value, names as first given. */
  public void forEach(BiConsumer<String, String> action) {
    for (Map.Entry<String, List<String>> e : fields.entrySet()) {
      for (String value : e.getValue()) {
        action.accept(e.getKey(), value);
      }
    }
  }
}
