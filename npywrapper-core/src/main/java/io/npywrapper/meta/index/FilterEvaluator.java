package io.npywrapper.meta.index;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.filter.Bound;
import io.npywrapper.meta.filter.Truth;
import io.npywrapper.meta.filter.Values;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Evaluates a bound filter over one segment to the set of rows for which it is TRUE, with bitmap
 * operations instead of per-row evaluation. Every node yields two disjoint row sets, TRUE and
 * UNKNOWN (the rest is FALSE), so SQL's three-valued logic survives NOT: {@code NOT x} is TRUE
 * where {@code x} is FALSE, and stays UNKNOWN where {@code x} is UNKNOWN. Leaves use the {@link
 * SegmentIndex}: inverted indexes for string, bool and tag columns (every leaf kind, LIKE included,
 * is decided once per dictionary entry), zone maps plus a typed scan of the blocks that straddle a
 * bound for numbers and timestamps. Stateless and thread-safe.
 */
public final class FilterEvaluator {
  private FilterEvaluator() {}

  /** TRUE and UNKNOWN rows of one node; disjoint. */
  private record Sets(RoaringBitmap t, RoaringBitmap u) {}

  /** The rows of the segment for which {@code filter} is TRUE (deleted rows included). */
  public static RoaringBitmap matching(Bound filter, SegmentIndex index) throws IOException {
    return eval(filter, index).t();
  }

  private static Sets eval(Bound b, SegmentIndex ix) throws IOException {
    int n = ix.rows();
    return switch (b) {
      case Bound.Const c -> new Sets(c.value() ? all(n) : new RoaringBitmap(), new RoaringBitmap());
      case Bound.Not not -> {
        Sets s = eval(not.operand(), ix);
        RoaringBitmap t = all(n);
        t.andNot(s.t());
        t.andNot(s.u());
        yield new Sets(t, s.u());
      }
      case Bound.And a -> {
        RoaringBitmap t = null;
        RoaringBitmap tOrU = null;
        for (Bound o : a.operands()) {
          Sets s = eval(o, ix);
          RoaringBitmap either = RoaringBitmap.or(s.t(), s.u());
          t = t == null ? s.t() : RoaringBitmap.and(t, s.t());
          tOrU = tOrU == null ? either : RoaringBitmap.and(tOrU, either);
        }
        tOrU.andNot(t);
        yield new Sets(t, tOrU);
      }
      case Bound.Or o -> {
        RoaringBitmap t = new RoaringBitmap();
        RoaringBitmap u = new RoaringBitmap();
        for (Bound x : o.operands()) {
          Sets s = eval(x, ix);
          t.or(s.t());
          u.or(s.u());
        }
        u.andNot(t);
        yield new Sets(t, u);
      }
      case Bound.Leaf leaf -> leaf(leaf, ix);
    };
  }

  private static RoaringBitmap all(int n) {
    RoaringBitmap r = new RoaringBitmap();
    r.add(0L, n);
    return r;
  }

  private static Sets leaf(Bound.Leaf leaf, SegmentIndex ix) throws IOException {
    String name = leaf.column().name();
    AttributeType type = leaf.column().type();
    RoaringBitmap nulls = ix.nulls(name, type);
    if (leaf instanceof Bound.IsNull) {
      return new Sets(nulls.clone(), new RoaringBitmap());
    }
    if (ix.data(name, type) == null) {
      return new Sets(new RoaringBitmap(), nulls); // attribute added after the segment: all null
    }
    RoaringBitmap t =
        switch (type) {
          case STRING -> strings(leaf, name, ix);
          case BOOL -> {
            RoaringBitmap[] fT = ix.bools(name);
            RoaringBitmap r = new RoaringBitmap();
            if (leaf.test(false) == Truth.TRUE) {
              r.or(fT[0]);
            }
            if (leaf.test(true) == Truth.TRUE) {
              r.or(fT[1]);
            }
            yield r;
          }
          case STRING_LIST -> tags((Bound.Contains) leaf, name, ix);
          case INT64, FLOAT64, TIMESTAMP -> numbers(leaf, name, type, ix);
        };
    t.andNot(nulls);
    return new Sets(t, nulls);
  }

  /**
   * A string leaf: decided once per dictionary entry; the matching entries' rows come from the
   * inverted index, or from one scan of the codes when the dictionary is nearly as large as the
   * segment (where an index per value would cost more than it saves).
   */
  private static RoaringBitmap strings(Bound.Leaf leaf, String name, SegmentIndex ix)
      throws IOException {
    String[] dict = ix.dictionary(name);
    boolean[] match = new boolean[dict.length];
    int matches = 0;
    for (int c = 0; c < dict.length; c++) {
      match[c] = leaf.test(dict[c]) == Truth.TRUE;
      matches += match[c] ? 1 : 0;
    }
    RoaringBitmap r = new RoaringBitmap();
    if (matches == 0) {
      return r;
    }
    if (dict.length <= Math.max(1024, ix.rows() / 16)) {
      RoaringBitmap[] index = ix.codes(name, AttributeType.STRING);
      List<RoaringBitmap> parts = new ArrayList<>(matches);
      for (int c = 0; c < dict.length; c++) {
        if (match[c]) {
          parts.add(index[c]);
        }
      }
      return RoaringBitmap.or(parts.iterator());
    }
    MemorySegment codes = ix.data(name, AttributeType.STRING).data();
    for (int i = 0, n = ix.rows(); i < n; i++) {
      int c = SegmentIndex.intAt(codes, i);
      if (c >= 0 && c < match.length && match[c]) {
        r.add(i);
      }
    }
    return r;
  }

  private static RoaringBitmap tags(Bound.Contains leaf, String name, SegmentIndex ix)
      throws IOException {
    String[] dict = ix.dictionary(name);
    RoaringBitmap[] index = ix.codes(name, AttributeType.STRING_LIST);
    RoaringBitmap r = leaf.all() ? null : new RoaringBitmap();
    for (String tag : leaf.tags()) {
      RoaringBitmap rows = new RoaringBitmap();
      for (int c = 0; c < dict.length; c++) {
        if (dict[c].equals(tag)) {
          rows = index[c];
          break;
        }
      }
      if (leaf.all()) {
        r = r == null ? rows.clone() : RoaringBitmap.and(r, rows);
      } else {
        r.or(rows);
      }
    }
    return r;
  }

  /**
   * A number or timestamp leaf, as a union of value intervals ({@code !=} as the complement of
   * {@code =}), each matched against the zone map: blocks wholly inside are added as a range,
   * blocks outside skipped, the rest scanned.
   */
  private static RoaringBitmap numbers(
      Bound.Leaf leaf, String name, AttributeType type, SegmentIndex ix) throws IOException {
    List<Interval> intervals = new ArrayList<>();
    boolean negate = false;
    switch (leaf) {
      case Bound.Compare c -> {
        Object v = c.value();
        switch (c.op()) {
          case EQ -> intervals.add(new Interval(v, true, v, true));
          case NE -> {
            intervals.add(new Interval(v, true, v, true));
            negate = true;
          }
          case LT -> intervals.add(new Interval(null, false, v, false));
          case LE -> intervals.add(new Interval(null, false, v, true));
          case GT -> intervals.add(new Interval(v, false, null, false));
          case GE -> intervals.add(new Interval(v, true, null, false));
          default -> throw new IllegalStateException("operator " + c.op());
        }
      }
      case Bound.Range r -> {
        if (Values.compare(r.low(), r.high()) <= 0) {
          intervals.add(new Interval(r.low(), true, r.high(), true));
        }
      }
      case Bound.In in -> in.values().forEach(v -> intervals.add(new Interval(v, true, v, true)));
      default ->
          throw new IllegalStateException(
              "no index evaluation of " + leaf + " on a " + type.id() + " attribute");
    }
    SegmentIndex.Zones zones = ix.zones(name, type);
    MemorySegment data = ix.data(name, type).data();
    boolean dbl = type == AttributeType.FLOAT64;
    int n = ix.rows();
    RoaringBitmap r = new RoaringBitmap();
    for (Interval iv : intervals) {
      for (int b = 0; b < zones.blocks(); b++) {
        if (!zones.any()[b]) {
          continue;
        }
        int from = b * SegmentIndex.BLOCK;
        int to = Math.min(n, from + SegmentIndex.BLOCK);
        boolean minIn;
        boolean maxIn;
        boolean disjoint;
        if (dbl) {
          double lo = zones.minD()[b];
          double hi = zones.maxD()[b];
          minIn = iv.contains(lo);
          maxIn = iv.contains(hi);
          disjoint = iv.below(hi) || iv.above(lo);
        } else {
          long lo = zones.minL()[b];
          long hi = zones.maxL()[b];
          minIn = iv.contains(lo);
          maxIn = iv.contains(hi);
          disjoint = iv.below(hi) || iv.above(lo);
        }
        if (disjoint) {
          continue;
        }
        if (minIn && maxIn) {
          r.add((long) from, (long) to); // an interval is convex: all values between match
          continue;
        }
        for (int i = from; i < to; i++) {
          if (dbl
              ? iv.contains(SegmentIndex.doubleAt(data, i))
              : iv.contains(SegmentIndex.longAt(data, i))) {
            r.add(i);
          }
        }
      }
    }
    if (negate) {
      RoaringBitmap all = all(n);
      all.andNot(r);
      return all;
    }
    return r;
  }

  /** Values between {@code low} and {@code high} (null: unbounded), in filter order. */
  private record Interval(Object low, boolean lowIn, Object high, boolean highIn) {
    boolean contains(long x) {
      return aboveLow(cmp(x, low)) && belowHigh(cmp(x, high));
    }

    boolean contains(double x) {
      return aboveLow(cmp(x, low)) && belowHigh(cmp(x, high));
    }

    /** Every value up to {@code x} is below the interval. */
    boolean below(long x) {
      return low != null && !aboveLow(cmp(x, low));
    }

    boolean below(double x) {
      return low != null && !aboveLow(cmp(x, low));
    }

    /** Every value from {@code x} on is above the interval. */
    boolean above(long x) {
      return high != null && !belowHigh(cmp(x, high));
    }

    boolean above(double x) {
      return high != null && !belowHigh(cmp(x, high));
    }

    private boolean aboveLow(int c) {
      return low == null || c > 0 || (c == 0 && lowIn);
    }

    private boolean belowHigh(int c) {
      return high == null || c < 0 || (c == 0 && highIn);
    }

    private static int cmp(long x, Object v) {
      if (v == null) {
        return 0;
      }
      return v instanceof Long l ? Long.compare(x, l) : Values.compare(x, (double) (Double) v);
    }

    private static int cmp(double x, Object v) {
      if (v == null) {
        return 0;
      }
      return v instanceof Double d
          ? Values.compare(x, d.doubleValue())
          : -Values.compare((long) (Long) v, x);
    }
  }
}
