package io.npywrapper.meta.filter;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A filter over key/value properties (of collections or segments), in the filter language of
 * docs/FILTERS.md. Every property is a {@code string} attribute: the filter is bound against a
 * schema that gives each attribute it names the type {@code string}, so {@code team = 'search'},
 * {@code source LIKE '%.npy'} and {@code owner IS NULL} work, while numeric comparisons and bare
 * flags are type errors. A key that an object does not have is NULL for it (SQL semantics), never
 * an error: {@code owner IS NULL} matches objects without {@code owner}. Immutable and thread-safe.
 */
public final class PropertyFilter {
  private final BoundFilter bound;

  private PropertyFilter(BoundFilter bound) {
    this.bound = bound;
  }

  /**
   * Parses and checks {@code text}.
   *
   * @throws FilterException for malformed text, or an IllegalArgumentException naming the attribute
   *     for a type error
   */
  public static PropertyFilter parse(String text) {
    Filter f = Filter.parse(text);
    Map<String, AttributeType> types = new LinkedHashMap<>();
    collect(f, types);
    return new PropertyFilter(f.bind(Schema.of(types)));
  }

  private static void collect(Filter f, Map<String, AttributeType> out) {
    switch (f) {
      case Filter.And a -> a.operands().forEach(o -> collect(o, out));
      case Filter.Or o -> o.operands().forEach(x -> collect(x, out));
      case Filter.Not n -> collect(n.operand(), out);
      case Filter.Constant c -> {}
      case Filter.Compare c -> out.put(c.attribute(), AttributeType.STRING);
      case Filter.In i -> out.put(i.attribute(), AttributeType.STRING);
      case Filter.Between b -> out.put(b.attribute(), AttributeType.STRING);
      case Filter.IsNull n -> out.put(n.attribute(), AttributeType.STRING);
      case Filter.Like l -> out.put(l.attribute(), AttributeType.STRING);
      case Filter.Contains c -> out.put(c.attribute(), AttributeType.STRING);
      case Filter.Flag fl -> out.put(fl.attribute(), AttributeType.STRING);
    }
  }

  /** The property keys the filter reads. */
  public Set<String> keys() {
    return bound.attributes();
  }

  /** Whether {@code properties} match (a missing key is NULL). */
  public boolean test(Map<String, String> properties) {
    return bound.test(properties);
  }

  @Override
  public String toString() {
    return bound.filter().toString();
  }
}
