package io.npywrapper.meta.index;

import io.npywrapper.meta.filter.Bound;
import io.npywrapper.meta.filter.Filter;
import io.npywrapper.meta.filter.Truth;
import io.npywrapper.meta.filter.Values;
import java.util.Set;

/**
 * Decides from a segment's {@link SegmentStats} alone whether a bound filter can match any of its
 * rows: NO (skip the segment without reading a file) or MAYBE. Works with SQL's three-valued logic
 * by computing, for every node of the filter, the set of truth values it may take on some row
 * ({@code TRUE}, {@code FALSE}, {@code UNKNOWN}), each an over-approximation; the segment may match
 * only when the root may be TRUE. So {@code NOT} of "may be anything" is still "may be anything",
 * and {@code x IS NULL} with no nulls can only be FALSE. Stateless and thread-safe.
 */
public final class Pruner {
  private static final int T = 1;
  private static final int F = 2;
  private static final int U = 4;
  private static final int ANY = T | F | U;

  private Pruner() {}

  /** False only when no row of the segment can match; null statistics mean "may match". */
  public static boolean mayMatch(Bound filter, SegmentStats stats) {
    if (stats == null) {
      return true;
    }
    if (stats.rows() == 0) {
      return false;
    }
    return (possible(filter, stats) & T) != 0;
  }

  private static int possible(Bound b, SegmentStats stats) {
    return switch (b) {
      case Bound.Const c -> c.value() ? T : F;
      case Bound.Not n -> {
        int p = possible(n.operand(), stats);
        yield ((p & T) != 0 ? F : 0) | ((p & F) != 0 ? T : 0) | (p & U);
      }
      case Bound.And a -> {
        boolean allMayT = true;
        boolean anyMayF = false;
        boolean allMayTorU = true;
        boolean anyMayU = false;
        for (Bound o : a.operands()) {
          int p = possible(o, stats);
          allMayT &= (p & T) != 0;
          anyMayF |= (p & F) != 0;
          allMayTorU &= (p & (T | U)) != 0;
          anyMayU |= (p & U) != 0;
        }
        yield (allMayT ? T : 0) | (anyMayF ? F : 0) | (allMayTorU && anyMayU ? U : 0);
      }
      case Bound.Or o -> {
        boolean anyMayT = false;
        boolean allMayF = true;
        boolean allMayForU = true;
        boolean anyMayU = false;
        for (Bound x : o.operands()) {
          int p = possible(x, stats);
          anyMayT |= (p & T) != 0;
          allMayF &= (p & F) != 0;
          allMayForU &= (p & (F | U)) != 0;
          anyMayU |= (p & U) != 0;
        }
        yield (anyMayT ? T : 0) | (allMayF ? F : 0) | (allMayForU && anyMayU ? U : 0);
      }
      case Bound.Leaf leaf -> leaf(leaf, stats);
    };
  }

  private static int leaf(Bound.Leaf leaf, SegmentStats stats) {
    AttributeStats s = stats.attributes().get(leaf.column().name());
    if (s == null) {
      return ANY;
    }
    boolean anyNull = s.nulls() > 0;
    boolean anyValue = s.nulls() < stats.rows();
    if (leaf instanceof Bound.IsNull) {
      return (anyNull ? T : 0) | (anyValue ? F : 0);
    }
    int nulls = anyNull ? U : 0;
    if (!anyValue) {
      return nulls;
    }
    if (s.distinct() != null && !(leaf instanceof Bound.Contains)) {
      int p = 0;
      for (Object v : s.distinct()) {
        Truth t = leaf.test(v);
        p |= t == Truth.TRUE ? T : t == Truth.FALSE ? F : U;
      }
      return p | nulls;
    }
    return values(leaf, s) | nulls;
  }

  /** Possible outcomes over non-null values from min, max and the tag set. */
  private static int values(Bound.Leaf leaf, AttributeStats s) {
    Object min = s.min();
    Object max = s.max();
    boolean range = min != null && max != null;
    return switch (leaf) {
      case Bound.Compare c when range -> compare(c.op(), c.value(), min, max);
      case Bound.Range r when range -> {
        boolean empty = Values.compare(r.low(), r.high()) > 0;
        boolean mayT = !empty && cmp(max, r.low()) >= 0 && cmp(min, r.high()) <= 0;
        boolean mayF = empty || cmp(min, r.low()) < 0 || cmp(max, r.high()) > 0;
        yield (mayT ? T : 0) | (mayF ? F : 0);
      }
      case Bound.In in when range -> {
        boolean mayT = false;
        for (Object v : in.values()) {
          mayT |= cmp(min, v) <= 0 && cmp(max, v) >= 0;
        }
        boolean single = cmp(min, max) == 0;
        boolean mayF = !single || in.test(min) != Truth.TRUE;
        yield (mayT ? T : 0) | (mayF ? F : 0);
      }
      case Bound.Contains c when s.distinct() != null -> {
        Set<Object> d = s.distinct();
        boolean mayT = c.all() ? d.containsAll(c.tags()) : c.tags().stream().anyMatch(d::contains);
        yield (mayT ? T : 0) | F;
      }
      default -> T | F;
    };
  }

  private static int compare(Filter.Op op, Object v, Object min, Object max) {
    boolean mayT;
    boolean mayF;
    switch (op) {
      case EQ -> {
        mayT = cmp(min, v) <= 0 && cmp(max, v) >= 0;
        mayF = !(cmp(min, v) == 0 && cmp(max, v) == 0);
      }
      case NE -> {
        mayF = cmp(min, v) <= 0 && cmp(max, v) >= 0;
        mayT = !(cmp(min, v) == 0 && cmp(max, v) == 0);
      }
      case LT -> {
        mayT = cmp(min, v) < 0;
        mayF = cmp(max, v) >= 0;
      }
      case LE -> {
        mayT = cmp(min, v) <= 0;
        mayF = cmp(max, v) > 0;
      }
      case GT -> {
        mayT = cmp(max, v) > 0;
        mayF = cmp(min, v) <= 0;
      }
      case GE -> {
        mayT = cmp(max, v) >= 0;
        mayF = cmp(min, v) < 0;
      }
      default -> throw new IllegalStateException("operator " + op);
    }
    return (mayT ? T : 0) | (mayF ? F : 0);
  }

  private static int cmp(Object a, Object b) {
    return Values.compare(a, b);
  }
}
