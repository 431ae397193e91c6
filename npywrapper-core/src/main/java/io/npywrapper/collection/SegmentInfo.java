package io.npywrapper.collection;

import java.util.Map;

/**
 * One segment of a committed version, as listed by {@code Collection.segments}.
 *
 * @param id the segment id (its directory under {@code segments/})
 * @param rows rows stored, deleted ones included
 * @param liveRows rows not deleted
 * @param properties the segment's user key/value properties (empty when none)
 * @param index the key of its graph index file ({@code segments/<id>/index-<stamp>.hnsw}), or null
 *     when it has none
 * @param indexKind what the index is, for display: {@code "hnsw"} (a graph walked over the float32
 *     vectors) or {@code "hnsw+int8"} (walked over int8 codes, re-ranked exactly); null when it has
 *     none
 */
public record SegmentInfo(
    String id,
    long rows,
    long liveRows,
    Map<String, String> properties,
    String index,
    String indexKind) {
  public SegmentInfo {
    properties = Map.copyOf(properties);
    if ((index == null) != (indexKind == null)) {
      throw new IllegalArgumentException("an index needs both its key and its kind");
    }
  }

  /** A segment without a graph index. */
  public SegmentInfo(String id, long rows, long liveRows, Map<String, String> properties) {
    this(id, rows, liveRows, properties, null, null);
  }
}
