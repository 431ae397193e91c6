package io.npywrapper.meta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A collection's attribute schema: attribute names in declaration order with their types. Every
 * attribute is nullable. Immutable and thread-safe.
 */
public final class Schema {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  public static final Schema EMPTY = new Schema(Map.of());

  private final Map<String, AttributeType> types;

  private Schema(Map<String, AttributeType> types) {
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
  }

  /**
   * A schema from names to types.
   *
   * @throws IllegalArgumentException for an invalid attribute name
   */
  public static Schema of(Map<String, AttributeType> types) {
    for (String name : types.keySet()) {
      checkName(name);
    }
    return new Schema(types);
  }

  /** Checks an attribute name: a letter or '_' then up to 63 letters, digits or '_'. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid attribute name '"
              + name
              + "': expected a letter or '_' followed by up to 63 letters, digits or '_'");
    }
    return name;
  }

  public Map<String, AttributeType> types() {
    return types;
  }

  public AttributeType type(String name) {
    return types.get(name);
  }

  public boolean isEmpty() {
    return types.isEmpty();
  }

  /** This schema with {@code more} added; an existing name must keep its type. */
  public Schema with(Map<String, AttributeType> more) {
    Map<String, AttributeType> m = new LinkedHashMap<>(types);
    for (var e : more.entrySet()) {
      checkName(e.getKey());
      AttributeType old = m.putIfAbsent(e.getKey(), e.getValue());
      if (old != null && old != e.getValue()) {
        throw new IllegalArgumentException(
            "attribute '" + e.getKey() + "' already exists as " + old.id());
      }
    }
    return new Schema(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.types.equals(types);
  }

  @Override
  public int hashCode() {
    return types.hashCode();
  }

  @Override
  public String toString() {
    return types.toString();
  }
}
