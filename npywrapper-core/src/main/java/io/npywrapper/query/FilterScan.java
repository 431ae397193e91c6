package io.npywrapper.query;

import io.npywrapper.collection.Row;
import io.npywrapper.collection.Selection;
import io.npywrapper.search.TopK;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.roaringbitmap.IntIterator;

/**
 * The first rows of a {@link Selection} in the order of a filter-only query: by one attribute
 * (nulls last in either direction), ties and unordered queries by id ascending, so paging with
 * offset is stable. Keeps a bounded heap of {@code limit + offset} rows. Not thread-safe; one per
 * query.
 */
final class FilterScan {
  private final Selection sel;
  private final String attribute;
  private final boolean descending;

  private record Entry(Object key, Object id, int source, long row) {}

  FilterScan(Selection sel, String attribute, boolean descending) {
    this.sel = sel;
    this.attribute = attribute;
    this.descending = descending;
  }

  /** Up to {@code window} rows, first first, as candidates without a distance (NaN). */
  List<TopK.Candidate> top(int window) throws IOException {
    Comparator<Entry> order = order();
    PriorityQueue<Entry> heap = new PriorityQueue<>(Math.min(window, 1024) + 1, order.reversed());
    for (int s = 0; s < sel.segmentCount(); s++) {
      IntIterator it = sel.rows(s).getIntIterator();
      while (it.hasNext()) {
        long row = Integer.toUnsignedLong(it.next());
        Object key = attribute == null ? null : sel.attributes(s, row).get(attribute);
        offer(heap, new Entry(key, sel.id(s, row), s, row), window, order);
      }
    }
    List<Row> mem = sel.memRows();
    for (int i = 0; i < mem.size(); i++) {
      Row r = mem.get(i);
      Object key = attribute == null ? null : r.attributes().get(attribute);
      offer(heap, new Entry(key, r.id(), -1, i), window, order);
    }
    List<Entry> sorted = new ArrayList<>(heap);
    sorted.sort(order);
    List<TopK.Candidate> out = new ArrayList<>(sorted.size());
    for (Entry e : sorted) {
      out.add(new TopK.Candidate(Float.NaN, e.id(), e.source(), e.row()));
    }
    return out;
  }

  private static void offer(
      PriorityQueue<Entry> heap, Entry e, int window, Comparator<Entry> order) {
    if (heap.size() < window) {
      heap.add(e);
    } else if (order.compare(e, heap.peek()) < 0) {
      heap.poll();
      heap.add(e);
    }
  }

  private Comparator<Entry> order() {
    Comparator<Entry> byId = (a, b) -> TopK.compareIds(a.id(), b.id());
    if (attribute == null) {
      return byId;
    }
    Comparator<Entry> byKey =
        (a, b) -> {
          if (a.key() == null || b.key() == null) {
            return a.key() == null ? (b.key() == null ? 0 : 1) : -1; // nulls last, either way
          }
          int c = compareValues(a.key(), b.key());
          return descending ? -c : c;
        };
    return byKey.thenComparing(byId);
  }

  /**
   * Orders two non-null values of one attribute type: numbers numerically ({@code -0.0 = 0.0}, NaN
   * above every number, as filters compare them), strings by UTF-16 code units, false before true,
   * instants in time order.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
    }
    return ((Comparable) a).compareTo(b);
  }
}
