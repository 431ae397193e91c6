package io.npywrapper.collection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Acknowledged writes not yet in a segment, on top of one base manifest. Batches are appended (by
 * one writer at a time, under the collection's write lock) and never changed; every id keeps a
 * chain of its entries, so a reader that captured {@link #published()} sees exactly the batches
 * before it, without locks. An entry either holds a row or marks the id deleted; an id whose row
 * also lives in the base segments "shadows" it.
 *
 * <p>Thread-safe for one writer and any number of readers.
 */
final class MemTable {
  /** One write of one id: the row at ({@code batch}, {@code row}), or a delete if row < 0. */
  record Entry(int batch, int row, boolean shadowsBase, Entry prev) {
    boolean isDelete() {
      return row < 0;
    }
  }

  /** A live row of the memtable. */
  record Live(Object id, int batchIndex, Batch batch, int row) {}

  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final List<Long> walSeqs = new ArrayList<>(); // per batch; the writer's only
  private final ConcurrentHashMap<Object, Entry> latest = new ConcurrentHashMap<>();
  private volatile int published;
  private volatile long firstWalSeq = -1;
  private volatile long lastWalSeq = -1;
  private volatile long maxLongId = Long.MIN_VALUE;
  private long rows;

  /** Batches visible to readers; a snapshot keeps this number as its limit. */
  int published() {
    return published;
  }

  /** The lowest write-ahead-log sequence number applied, or -1. */
  long firstWalSeq() {
    return firstWalSeq;
  }

  /** The highest write-ahead-log sequence number applied, or -1. */
  long lastWalSeq() {
    return lastWalSeq;
  }

  boolean isEmpty() {
    return published == 0;
  }

  /** The largest int64 id added or upserted so far, or Long.MIN_VALUE. */
  long maxLongId() {
    return maxLongId;
  }

  /** Rows and deletes applied so far (a flush threshold). */
  long rowsApplied() {
    return rows;
  }

  /**
   * Applies a validated batch. {@code liveInBase} tells whether an id has a live row in the base
   * segments (asked once per id).
   */
  void apply(Batch b, long walSeq, Predicate<Object> liveInBase) {
    int index = batches.size();
    batches.add(b);
    walSeqs.add(walSeq);
    for (int i = 0; i < b.size(); i++) {
      Object id = b.ids.get(i);
      int row = b.op == Batch.Op.DELETE ? -1 : i;
      if (row >= 0 && id instanceof Long l && l > maxLongId) {
        maxLongId = l;
      }
      latest.compute(
          id,
          (k, prev) ->
              new Entry(index, row, prev == null ? liveInBase.test(k) : prev.shadowsBase(), prev));
    }
    rows += b.size();
    if (firstWalSeq < 0 || walSeq < firstWalSeq) {
      firstWalSeq = walSeq;
    }
    if (walSeq > lastWalSeq) {
      lastWalSeq = walSeq;
    }
    published = index + 1;
  }

  /**
   * A new memtable holding the batches whose log records come after {@code walSeq}, applied on a
   * newer base that already holds the others (judged by {@code liveInBase}). For the writer only.
   */
  MemTable after(long walSeq, Predicate<Object> liveInBase) {
    MemTable tail = new MemTable();
    for (int i = 0; i < published; i++) {
      if (walSeqs.get(i) > walSeq) {
        tail.apply(batches.get(i), walSeqs.get(i), liveInBase);
      }
    }
    return tail;
  }

  /** The newest entry for {@code id} among the first {@code limit} batches, or null. */
  Entry lookup(Object id, int limit) {
    Entry e = latest.get(id);
    while (e != null && e.batch() >= limit) {
      e = e.prev();
    }
    return e;
  }

  Batch batch(int index) {
    return batches.get(index);
  }

  /** Live rows minus shadowed base rows, as of {@code limit} batches. */
  long countDelta(int limit) {
    long delta = 0;
    for (Object id : latest.keySet()) {
      Entry e = lookup(id, limit);
      if (e != null) {
        delta += (e.isDelete() ? 0 : 1) - (e.shadowsBase() ? 1 : 0);
      }
    }
    return delta;
  }

  /** Live rows as of {@code limit} batches, in write order. */
  List<Live> liveRows(int limit) {
    List<Live> out = new ArrayList<>();
    for (Object id : latest.keySet()) {
      Entry e = lookup(id, limit);
      if (e != null && !e.isDelete()) {
        out.add(new Live(id, e.batch(), batches.get(e.batch()), e.row()));
      }
    }
    out.sort(Comparator.comparingInt(Live::batchIndex).thenComparingInt(Live::row));
    return out;
  }

  /** Ids whose base rows this memtable replaces or deletes, as of {@code limit} batches. */
  List<Object> shadowedIds(int limit) {
    List<Object> out = new ArrayList<>();
    for (Object id : latest.keySet()) {
      Entry e = lookup(id, limit);
      if (e != null && e.shadowsBase()) {
        out.add(id);
      }
    }
    return out;
  }

  /** Every id written, as of {@code limit} batches (for conflict checks on rebase). */
  List<Object> ids(int limit) {
    List<Object> out = new ArrayList<>();
    for (Object id : latest.keySet()) {
      if (lookup(id, limit) != null) {
        out.add(id);
      }
    }
    return out;
  }
}
