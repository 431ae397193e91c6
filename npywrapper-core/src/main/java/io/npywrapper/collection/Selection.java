package io.npywrapper.collection;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.graph.GraphIndex;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * The live rows of a {@link Snapshot} that match a filter: per sealed segment a bitmap of row
 * positions (with access to the segment's memory-mapped vectors, ids and attributes), plus the
 * matching rows of the memtable. What the query layer scans. Immutable and thread-safe; valid while
 * its collection is open.
 */
public final class Selection {
  private final List<SegmentReader> segments;
  private final List<SegmentRef> refs;
  private final List<RoaringBitmap> rows;
  private final List<Row> memRows;
  private final SegmentGraphs graphs;
  private final CollectionSpec spec;

  Selection(
      List<SegmentReader> segments,
      List<SegmentRef> refs,
      List<RoaringBitmap> rows,
      List<Row> memRows,
      SegmentGraphs graphs,
      CollectionSpec spec) {
    this.segments = List.copyOf(segments);
    this.refs = List.copyOf(refs);
    this.rows = List.copyOf(rows);
    this.memRows = List.copyOf(memRows);
    this.graphs = graphs;
    this.spec = spec;
  }

  /** Rows stored in segment {@code s}, deleted ones included (its graph's node count). */
  public long segmentRows(int s) {
    return refs.get(s).rows();
  }

  /**
   * Segment {@code s}'s graph index, memory-mapped on first use; null when it has none, when it
   * failed its checks (it is rebuilt), or when this selection was made without indexes.
   */
  public GraphIndex graph(int s) {
    return graphs == null ? null : graphs.graph(refs.get(s), segments.get(s), spec);
  }

  /** Number of sealed segments in the snapshot (some may have no matching rows). */
  public int segmentCount() {
    return segments.size();
  }

  /** Matching live row positions of segment {@code s}; do not modify. */
  public RoaringBitmap rows(int s) {
    return rows.get(s);
  }

  /** Segment {@code s}'s vectors: float32 (rows, dim), memory-mapped. */
  public NpyArray vectors(int s) throws IOException {
    return segments.get(s).vectors();
  }

  /** The id (Long or String) of row {@code row} of segment {@code s}. */
  public Object id(int s, long row) throws IOException {
    return segments.get(s).idAt(row);
  }

  /** The attributes of row {@code row} of segment {@code s}. */
  public Map<String, Object> attributes(int s, long row) throws IOException {
    return segments.get(s).attributes(row);
  }

  /** Matching rows not yet in a segment (this process's acknowledged writes). */
  public List<Row> memRows() {
    return memRows;
  }

  /** Total matching rows. */
  public long count() {
    long n = memRows.size();
    for (RoaringBitmap b : rows) {
      n += b.getLongCardinality();
    }
    return n;
  }
}
