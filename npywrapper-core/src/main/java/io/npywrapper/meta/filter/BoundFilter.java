package io.npywrapper.meta.filter;

import io.npywrapper.meta.Schema;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link Filter} checked against a schema ({@link Filter#bind}), ready to evaluate rows with
 * SQL's three-valued logic: a comparison with a null attribute is {@link Truth#UNKNOWN}, NOT
 * UNKNOWN is UNKNOWN, FALSE AND UNKNOWN is FALSE, TRUE OR UNKNOWN is TRUE. A row matches only when
 * the filter is {@link Truth#TRUE}. The bound tree ({@link #root}) is what per-segment evaluators
 * work from. Immutable and thread-safe.
 */
public final class BoundFilter implements Predicate<Map<String, ?>> {
  private final Filter filter;
  private final Schema schema;
  private final Bound root;
  private final Set<String> attributes;

  BoundFilter(Filter filter, Schema schema, Bound root) {
    this.filter = filter;
    this.schema = schema;
    this.root = root;
    Set<String> names = new LinkedHashSet<>();
    collect(root, names);
    this.attributes = Collections.unmodifiableSet(names);
  }

  /** The filter as written or built. */
  public Filter filter() {
    return filter;
  }

  public Schema schema() {
    return schema;
  }

  /** The checked, simplified tree. */
  public Bound root() {
    return root;
  }

  /** The attributes the filter reads, in order of first use. */
  public Set<String> attributes() {
    return attributes;
  }

  /**
   * The filter's truth for one row, given as attribute name to value (absent means null; values as
   * {@link io.npywrapper.meta.AttributeType#coerce} accepts them).
   *
   * @throws IllegalArgumentException naming the attribute if a value does not fit its type
   */
  public Truth evaluate(Map<String, ?> row) {
    return evaluate(root, row);
  }

  /** Whether the row matches: the filter is {@link Truth#TRUE} for it. */
  @Override
  public boolean test(Map<String, ?> row) {
    return evaluate(row) == Truth.TRUE;
  }

  private static Truth evaluate(Bound b, Map<String, ?> row) {
    return switch (b) {
      case Bound.And a -> {
        Truth result = Truth.TRUE;
        for (Bound operand : a.operands()) {
          Truth t = evaluate(operand, row);
          if (t == Truth.FALSE) {
            yield Truth.FALSE;
          }
          result = result.and(t);
        }
        yield result;
      }
      case Bound.Or o -> {
        Truth result = Truth.FALSE;
        for (Bound operand : o.operands()) {
          Truth t = evaluate(operand, row);
          if (t == Truth.TRUE) {
            yield Truth.TRUE;
          }
          result = result.or(t);
        }
        yield result;
      }
      case Bound.Not n -> evaluate(n.operand(), row).not();
      case Bound.Const c -> Truth.of(c.value());
      case Bound.Leaf leaf -> leaf.test(leaf.column().value(row.get(leaf.column().name())));
    };
  }

  private static void collect(Bound b, Set<String> names) {
    switch (b) {
      case Bound.And a -> a.operands().forEach(o -> collect(o, names));
      case Bound.Or o -> o.operands().forEach(x -> collect(x, names));
      case Bound.Not n -> collect(n.operand(), names);
      case Bound.Const c -> {}
      case Bound.Leaf leaf -> names.add(leaf.column().name());
    }
  }

  /** The filter text. */
  @Override
  public String toString() {
    return filter.toString();
  }
}
