package io.npywrapper.collection;

import io.npywrapper.meta.filter.BoundFilter;
import io.npywrapper.meta.index.FilterEvaluator;
import io.npywrapper.meta.index.Pruner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;

/**
 * A consistent, immutable view of a collection: one committed manifest plus, for the process that
 * writes, the acknowledged rows of its memtable up to the moment the view was taken. Reads through
 * a snapshot never see later writes and never wait for writers.
 *
 * <p>Thread-safe. Valid while its collection is open.
 */
public final class Snapshot {
  private final Manifest manifest;
  private final List<SegmentReader> segments;
  private final List<DeleteSet> deletes;
  private final MemTable mem;
  private final int memLimit;
  private final SegmentGraphs graphs;

  Snapshot(
      Manifest manifest,
      List<SegmentReader> segments,
      List<DeleteSet> deletes,
      MemTable mem,
      int memLimit) {
    this(manifest, segments, deletes, mem, memLimit, null);
  }

  /** A view whose selections offer the segments' graph indexes from {@code graphs} (or none). */
  Snapshot(
      Manifest manifest,
      List<SegmentReader> segments,
      List<DeleteSet> deletes,
      MemTable mem,
      int memLimit,
      SegmentGraphs graphs) {
    this.manifest = manifest;
    this.segments = List.copyOf(segments);
    this.deletes = List.copyOf(deletes);
    this.mem = mem;
    this.memLimit = memLimit;
    this.graphs = graphs;
  }

  /** The committed version this view is based on. */
  public long version() {
    return manifest.version();
  }

  public CollectionSpec spec() {
    return manifest.spec();
  }

  /** User properties of the collection at this version. */
  public Map<String, String> properties() {
    return manifest.properties();
  }

  /** Live rows: committed ones plus this process's acknowledged, unflushed writes. */
  public long count() {
    return manifest.rowCount() + (mem == null ? 0 : mem.countDelta(memLimit));
  }

  /** Number of sealed segments. */
  public int segmentCount() {
    return segments.size();
  }

  Manifest manifest() {
    return manifest;
  }

  List<SegmentReader> segments() {
    return segments;
  }

  List<DeleteSet> deletes() {
    return deletes;
  }

  /** The row with {@code id}, if live in this view. */
  public Optional<Row> get(Object id) throws IOException {
    Object key = normalize(id);
    if (mem != null) {
      MemTable.Entry e = mem.lookup(key, memLimit);
      if (e != null) {
        if (e.isDelete()) {
          return Optional.empty();
        }
        Batch b = mem.batch(e.batch());
        float[] v = new float[b.dim];
        System.arraycopy(b.vectors, e.row() * b.dim, v, 0, b.dim);
        return Optional.of(new Row(key, v, b.attributesOf(e.row(), spec().schema())));
      }
    }
    for (int s = 0; s < segments.size(); s++) {
      long row = findLive(s, key);
      if (row >= 0) {
        SegmentReader r = segments.get(s);
        float[] v = new float[spec().dim()];
        r.readVector(row, v);
        return Optional.of(new Row(key, v, r.attributes(row)));
      }
    }
    return Optional.empty();
  }

  /** True if {@code id} has a live row in this view (reads no vector or attribute). */
  public boolean contains(Object id) throws IOException {
    Object key = normalize(id);
    if (mem != null) {
      MemTable.Entry e = mem.lookup(key, memLimit);
      if (e != null) {
        return !e.isDelete();
      }
    }
    return liveInBase(key);
  }

  /** The live rows with these ids, in the order asked; ids not present are left out. */
  public List<Row> get(Ids ids) throws IOException {
    ids.checkType(spec().idType());
    List<Row> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      get(ids.get(i)).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The live rows matching {@code filter} (every live row when null). Rows that the memtable
   * replaced or deleted are left out of the segments' bitmaps. Segments whose statistics (in the
   * manifest) rule the filter out are skipped without reading any of their files; the others are
   * evaluated with their indexes (docs/FILTERS.md, "Indexes and pruning").
   *
   * @throws IllegalArgumentException when the filter was bound to another schema
   */
  public Selection select(BoundFilter filter) throws IOException {
    if (filter != null && !filter.schema().equals(spec().schema())) {
      throw new IllegalArgumentException(
          "filter was bound to schema "
              + filter.schema()
              + ", the collection has "
              + spec().schema());
    }
    List<Object> memIds = mem != null && memLimit > 0 ? mem.ids(memLimit) : List.of();
    List<RoaringBitmap> bitmaps = new ArrayList<>(segments.size());
    for (int s = 0; s < segments.size(); s++) {
      bitmaps.add(selectIn(s, filter, memIds));
    }
    List<Row> memRows = new ArrayList<>();
    if (mem != null) {
      for (MemTable.Live l : mem.liveRows(memLimit)) {
        Batch b = l.batch();
        Map<String, Object> attrs = b.attributesOf(l.row(), spec().schema());
        if (filter == null || filter.test(attrs)) {
          float[] v = new float[b.dim];
          System.arraycopy(b.vectors, l.row() * b.dim, v, 0, b.dim);
          memRows.add(new Row(l.id(), v, attrs));
        }
      }
    }
    return new Selection(segments, manifest.segments(), bitmaps, memRows, graphs, manifest.spec());
  }

  /**
   * Matching live rows of segment {@code s}: nothing, without reading a file, when the manifest's
   * statistics rule the segment out; otherwise the filter evaluated with the segment's indexes,
   * minus deleted rows and rows whose ids the memtable wrote ({@code memIds}).
   */
  private RoaringBitmap selectIn(int s, BoundFilter filter, List<Object> memIds)
      throws IOException {
    SegmentReader r = segments.get(s);
    SegmentRef ref = r.ref();
    if (filter != null && !Pruner.mayMatch(filter.root(), ref.stats())) {
      return new RoaringBitmap();
    }
    RoaringBitmap b;
    if (filter == null) {
      b = new RoaringBitmap();
      b.add(0L, ref.rows());
    } else {
      b = FilterEvaluator.matching(filter.root(), r.index());
    }
    DeleteSet del = deletes.get(s);
    if (del.size() > 0) {
      b.andNot(del.bitmap());
    }
    for (Object id : memIds) {
      long row = r.find(id);
      if (row >= 0) {
        b.remove((int) row); // replaced or deleted by an unflushed write
      }
    }
    return b;
  }

  /** True if {@code id} has a live row in the committed segments (memtable ignored). */
  boolean liveInBase(Object id) throws IOException {
    for (int s = 0; s < segments.size(); s++) {
      if (findLive(s, id) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The live row of {@code id} in segment {@code s}, or -1. */
  long findLive(int s, Object id) throws IOException {
    SegmentReader r = segments.get(s);
    long row = r.find(id);
    return row >= 0 && !deletes.get(s).contains(row) ? row : -1;
  }

  private Object normalize(Object id) {
    if (spec().idType() == IdType.INT64) {
      if (id instanceof Number n && !(id instanceof Double) && !(id instanceof Float)) {
        return n.longValue();
      }
      throw new IllegalArgumentException(
          "collection '" + spec().name() + "' has int64 ids, got " + describe(id));
    }
    if (id instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        "collection '" + spec().name() + "' has string ids, got " + describe(id));
  }

  private static String describe(Object id) {
    return id == null ? "null" : id.getClass().getSimpleName() + " " + id;
  }
}
