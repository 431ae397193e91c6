package io.npywrapper.collection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a memtable into a commit: its live rows become one new segment, the ids it replaced or
 * deleted become deletion files of the segments that hold them, and the manifest records how far
 * the writer's log is applied. On rebase every id the memtable wrote is looked up again in the new
 * base, so a concurrent writer's row with the same id is replaced (last writer wins), and a base
 * that already holds the memtable's log records is refused (never applied twice). Thread-safe;
 * callers serialize commits of one memtable.
 */
final class MemTableCommit {
  /** Opens a committed snapshot of a manifest, sharing the engine's segment readers. */
  interface Snapshots {
    Snapshot of(Manifest m) throws IOException;
  }

  private final CollectionFiles files;
  private final Committer committer;
  private final Snapshots snapshots;

  MemTableCommit(CollectionFiles files, Committer committer, Snapshots snapshots) {
    this.files = files;
    this.committer = committer;
    this.snapshots = snapshots;
  }

  /**
   * Commits {@code mem}, built on {@code base} (a committed snapshot), as the records of log {@code
   * walWriter}; returns the manifest published.
   */
  Manifest commit(Snapshot base, MemTable mem, String walWriter) throws IOException {
    int limit = mem.published();
    List<MemTable.Live> live = mem.liveRows(limit);
    SegmentRef segment = null;
    if (!live.isEmpty()) {
      try (SegmentWriter w = new SegmentWriter(base.spec(), files.scratch)) {
        for (MemTable.Live l : live) {
          w.add(l.batch(), l.row());
        }
        segment = w.finish(files.store, files.prefix, CollectionFiles.newSegmentId());
      }
    }
    SegmentRef newSegment = segment;
    long maxLong = maxLongId(live);
    long firstSeq = mem.firstWalSeq();
    long lastSeq = mem.lastWalSeq();
    return committer.commit(
        base.manifest(),
        b -> {
          long applied = b.walApplied().getOrDefault(walWriter, 0L);
          if (applied >= firstSeq) {
            // Callers start from a version that does not hold these records yet; committing them
            // on one that does would apply them twice.
            throw new CommitConflictException(
                "collection '"
                    + files.name
                    + "': version "
                    + b.version()
                    + " already holds log records of writer "
                    + walWriter
                    + " up to "
                    + applied
                    + "; not committing records "
                    + firstSeq
                    + ".."
                    + lastSeq
                    + " again");
          }
          boolean sameBase = b.version() == base.version();
          Snapshot view = sameBase ? base : snapshots.of(b);
          List<Object> ids = sameBase ? mem.shadowedIds(limit) : mem.ids(limit);
          List<SegmentRef> segs = withDeletes(view, ids);
          if (newSegment != null) {
            segs.add(newSegment);
          }
          Map<String, Long> walApplied = new LinkedHashMap<>(b.walApplied());
          walApplied.merge(walWriter, lastSeq, Math::max);
          long nextId = Math.max(b.nextId(), maxLong == Long.MIN_VALUE ? 0 : maxLong + 1);
          return b.next(
              newSegment == null ? "delete" : "append",
              segs,
              walApplied,
              nextId,
              b.spec(),
              b.properties());
        });
  }

  private static long maxLongId(List<MemTable.Live> live) {
    long max = Long.MIN_VALUE;
    for (MemTable.Live l : live) {
      if (l.id() instanceof Long v && v > max) {
        max = v;
      }
    }
    return max;
  }

  /** The view's segments with {@code ids} added to their deletion files where they live. */
  private List<SegmentRef> withDeletes(Snapshot view, List<Object> ids) throws IOException {
    Map<Integer, List<Integer>> bySegment = new HashMap<>();
    for (Object id : ids) {
      for (int i = 0; i < view.segments().size(); i++) {
        long row = view.findLive(i, id);
        if (row >= 0) {
          bySegment.computeIfAbsent(i, k -> new ArrayList<>()).add((int) row);
        }
      }
    }
    List<SegmentRef> segs = new ArrayList<>(view.manifest().segments());
    for (var e : bySegment.entrySet()) {
      int i = e.getKey();
      SegmentRef ref = segs.get(i);
      DeleteSet merged =
          view.deletes().get(i).with(e.getValue().stream().mapToInt(Integer::intValue).toArray());
      segs.set(i, ref.withDeletes(files.writeDeletes(ref.id(), merged), merged.size()));
    }
    return segs;
  }
}
