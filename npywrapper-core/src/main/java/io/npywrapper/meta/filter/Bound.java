package io.npywrapper.meta.filter;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Timestamps;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A filter checked against a schema and reduced to a few node kinds, ready to evaluate: AND, OR,
 * NOT, constants, and leaves that each test one column. {@code NOT IN}, {@code NOT BETWEEN}, {@code
 * NOT LIKE} and {@code IS NOT NULL} become NOT over the positive leaf (the same under SQL's
 * three-valued logic, as no literal is NULL), and a bare bool attribute becomes {@code = TRUE}.
 *
 * <p>Literals are already in their column's <em>evaluation form</em> ({@link Column#value}):
 * String, Long or Double for numbers (either kind for either numeric type; compared exactly),
 * Boolean, Long microseconds for timestamps, an unmodifiable List of Strings for string lists. A
 * per-row evaluator calls {@link Leaf#test} with the row's value; a per-segment evaluator can
 * instead turn each leaf into a row set from the segment's column or index, and combine the sets
 * with the AND/OR/NOT structure (keeping a separate set for UNKNOWN rows so that NOT stays
 * correct). Immutable and thread-safe.
 */
public sealed interface Bound permits Bound.And, Bound.Or, Bound.Not, Bound.Const, Bound.Leaf {

  /** An attribute of the schema. */
  record Column(String name, AttributeType type) {
    /**
     * A row's value of this attribute in evaluation form: the type's {@link AttributeType#coerce}
     * (so Integer becomes Long, an ISO string a timestamp, ...), then timestamps as Long
     * microseconds. Null stays null.
     *
     * @throws IllegalArgumentException naming the attribute if the value does not fit its type
     */
    public Object value(Object raw) {
      Object v;
      try {
        v = type.coerce(raw);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("attribute '" + name + "': " + e.getMessage(), e);
      }
      return v instanceof Instant t ? Timestamps.toMicros(t) : v;
    }
  }

  /** A condition on one column. */
  sealed interface Leaf extends Bound permits Compare, In, Range, IsNull, Like, Contains {
    Column column();

    /** This condition for one value of {@link #column()} in evaluation form; null is SQL NULL. */
    Truth test(Object value);
  }

  /** Every operand is true. */
  record And(List<Bound> operands) implements Bound {
    public And {
      operands = List.copyOf(operands);
    }
  }

  /** At least one operand is true. */
  record Or(List<Bound> operands) implements Bound {
    public Or {
      operands = List.copyOf(operands);
    }
  }

  record Not(Bound operand) implements Bound {}

  record Const(boolean value) implements Bound {}

  /** {@code column op value}; numbers compare exactly, strings by code point. */
  record Compare(Column column, Filter.Op op, Object value) implements Leaf {
    @Override
    public Truth test(Object v) {
      return v == null ? Truth.UNKNOWN : Truth.of(op.test(Values.compare(v, value)));
    }
  }

  /** {@code column IN (values)}. */
  record In(Column column, List<Object> values) implements Leaf {
    public In {
      values = List.copyOf(values);
    }

    @Override
    public Truth test(Object v) {
      if (v == null) {
        return Truth.UNKNOWN;
      }
      for (Object candidate : values) {
        if (Values.compare(v, candidate) == 0) {
          return Truth.TRUE;
        }
      }
      return Truth.FALSE;
    }
  }

  /** {@code column BETWEEN low AND high}, both inclusive; false when low > high. */
  record Range(Column column, Object low, Object high) implements Leaf {
    @Override
    public Truth test(Object v) {
      if (v == null) {
        return Truth.UNKNOWN;
      }
      return Truth.of(Values.compare(v, low) >= 0 && Values.compare(v, high) <= 0);
    }
  }

  /** {@code column IS NULL}: never unknown. */
  record IsNull(Column column) implements Leaf {
    @Override
    public Truth test(Object v) {
      return Truth.of(v == null);
    }
  }

  /** {@code column LIKE pattern}. */
  record Like(Column column, LikePattern pattern) implements Leaf {
    @Override
    public Truth test(Object v) {
      return v == null ? Truth.UNKNOWN : Truth.of(pattern.matches((String) v));
    }
  }

  /**
   * A string list holds any ({@code all} false) or all of the tags; unknown when the list is null,
   * false for an empty list.
   */
  record Contains(Column column, boolean all, Set<String> tags) implements Leaf {
    public Contains {
      tags = Set.copyOf(tags);
    }

    @Override
    public Truth test(Object v) {
      if (v == null) {
        return Truth.UNKNOWN;
      }
      List<?> list = (List<?>) v;
      if (!all) {
        for (Object tag : list) {
          if (tags.contains(tag)) {
            return Truth.TRUE;
          }
        }
        return Truth.FALSE;
      }
      Set<Object> present = new HashSet<>(list);
      return Truth.of(present.containsAll(tags));
    }
  }
}
