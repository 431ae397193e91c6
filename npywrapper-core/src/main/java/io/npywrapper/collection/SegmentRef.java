package io.npywrapper.collection;

import io.npywrapper.meta.index.SegmentStats;
import java.util.Map;

/**
 * A manifest's record of one sealed segment: its id, row count, files, current deletion file and id
 * range. Immutable and thread-safe.
 *
 * @param id unique segment id (also its directory name)
 * @param rows rows stored in the segment, deleted ones included
 * @param files the segment's files by name ({@code vectors.npy}, {@code ids.npy}, ...)
 * @param deletes the sorted int32 row positions deleted so far, or null
 * @param deletedRows how many rows {@code deletes} holds
 * @param minId smallest id (Long or String), null for an empty segment
 * @param maxId largest id
 * @param idsSorted true when {@code ids.npy} is in ascending order (no order file needed)
 * @param stats per-attribute statistics for pruning, or null (segments written before statistics)
 * @param properties user key/value properties of the segment (empty when none)
 * @param index the segment's graph index (its graph file, and codes when quantized), or null
 */
record SegmentRef(
    String id,
    long rows,
    Map<String, FileRef> files,
    FileRef deletes,
    long deletedRows,
    Object minId,
    Object maxId,
    boolean idsSorted,
    SegmentStats stats,
    Map<String, String> properties,
    IndexRef index) {

  SegmentRef {
    properties =
        properties == null || properties.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(properties));
  }

  long liveRows() {
    return rows - deletedRows;
  }

  SegmentRef withDeletes(FileRef newDeletes, long count) {
    return new SegmentRef(
        id, rows, files, newDeletes, count, minId, maxId, idsSorted, stats, properties, index);
  }

  /** This segment with its properties replaced by {@code props}. */
  SegmentRef withProperties(Map<String, String> props) {
    return new SegmentRef(
        id, rows, files, deletes, deletedRows, minId, maxId, idsSorted, stats, props, index);
  }

  /** This segment with its graph index replaced by {@code file}. */
  SegmentRef withIndex(IndexRef file) {
    return new SegmentRef(
        id, rows, files, deletes, deletedRows, minId, maxId, idsSorted, stats, properties, file);
  }

  /** True if {@code id} may be in this segment, judging by its id range alone. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  boolean mayContain(Object key) {
    if (minId == null) {
      return false;
    }
    Comparable lo = (Comparable) minId;
    Comparable hi = (Comparable) maxId;
    return lo.compareTo(key) <= 0 && hi.compareTo(key) >= 0;
  }
}
