package io.npywrapper.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code capacity} nearest candidates seen so far, in a bounded max-heap. Candidates are
 * ordered by distance, then by id (ids of one collection are all Longs or all Strings and unique
 * among live rows), so the result does not depend on the order rows were scanned in or on how the
 * scan was split across threads. NaN distances sort after every number. Not thread-safe: one per
 * thread, then {@link #addAll merged}.
 */
public final class TopK {
  /** Nearest first: by distance, then id. */
  public static final Comparator<Candidate> ORDER =
      Comparator.comparingDouble(Candidate::distance)
          .thenComparing(Candidate::id, TopK::compareIds);

  private final int capacity;
  private final PriorityQueue<Candidate> heap;

  /**
   * One scored row.
   *
   * @param distance its distance to the query
   * @param id its id (Long or String)
   * @param source where it lives, for the caller (a segment index, or -1 for the memtable)
   * @param row its position in that source
   */
  public record Candidate(float distance, Object id, int source, long row) {}

  public TopK(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.heap = new PriorityQueue<>(Math.min(capacity, 1024) + 1, ORDER.reversed());
  }

  /** Ids compared as numbers (Long) or by UTF-16 code units (String). */
  public static int compareIds(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return ((String) a).compareTo((String) b);
  }

  /**
   * True when a candidate at {@code distance} could enter: the heap is not full, or the distance is
   * at most the worst kept (ties are decided by id in {@link #add}). Lets a scan skip reading the
   * id of a row that cannot make it.
   */
  public boolean accepts(float distance) {
    return heap.size() < capacity || Float.compare(distance, heap.peek().distance()) <= 0;
  }

  /**
   * The largest distance that {@link #accepts} may still take: the worst kept one once full,
   * positive infinity before.
   */
  public float limit() {
    return heap.size() < capacity ? Float.POSITIVE_INFINITY : heap.peek().distance();
  }

  /** Offers a candidate; keeps it if it is among the {@code capacity} nearest. */
  public void add(Candidate c) {
    if (heap.size() < capacity) {
      heap.add(c);
    } else if (ORDER.compare(c, heap.peek()) < 0) {
      heap.poll();
      heap.add(c);
    }
  }

  /** Offers every candidate of {@code other}. */
  public void addAll(TopK other) {
    for (Candidate c : other.heap) {
      add(c);
    }
  }

  public int size() {
    return heap.size();
  }

  /** The kept candidates, nearest first. */
  public List<Candidate> sorted() {
    List<Candidate> out = new ArrayList<>(heap);
    out.sort(ORDER);
    return out;
  }
}
