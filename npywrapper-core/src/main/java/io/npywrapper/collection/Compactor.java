package io.npywrapper.collection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges small segments and rewrites delete-heavy ones without their deleted rows, while reads and
 * writes go on: the new segments are written from a committed snapshot, then swapped in by one
 * commit that checks the inputs are unchanged (same segments, same deletion files). When a
 * concurrent delete touched an input the compaction is redone from the newer version, a few times
 * at most. Old segments stay readable by older versions until vacuumed. Not thread-safe: one
 * compaction at a time per instance.
 */
public final class Compactor {
  private static final int ATTEMPTS = 3;

  private final CollectionEngine engine;

  public Compactor(CollectionEngine engine) {
    this.engine = engine;
  }

  /** What a compaction did; zero inputs when there was nothing worth compacting. */
  public record Result(
      int inputSegments, int outputSegments, long rowsWritten, long rowsDropped, long version) {}

  /** Compacts what is worth compacting now. */
  public Result compact() throws IOException {
    CommitConflictException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return compactOnce();
      } catch (CommitConflictException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Segments worth rewriting: small ones (when there are two or more) and delete-heavy ones. */
  static List<Integer> candidates(Manifest m, long segmentRows) {
    List<Integer> small = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < m.segments().size(); i++) {
      SegmentRef s = m.segments().get(i);
      boolean deleteHeavy = s.deletedRows() * 5 > s.rows();
      if (deleteHeavy) {
        out.add(i);
      } else if (s.liveRows() < segmentRows / 2) {
        small.add(i);
      }
    }
    if (small.size() >= 2 || (!small.isEmpty() && !out.isEmpty())) {
      out.addAll(small);
    }
    out.sort(null);
    return out;
  }

  /**
   * The successor of {@code b} with the inputs replaced by the outputs, carrying over rows deleted
   * in the inputs since {@code snap}.
   */
  private Manifest swapIn(
      Manifest b,
      Snapshot snap,
      Map<String, Integer> expected,
      Map<String, long[]> moved,
      List<SegmentRef> outputs,
      long target)
      throws IOException {
    Snapshot now = b.version() == snap.version() ? snap : engine.snapshotOf(b);
    Map<Integer, List<Integer>> newDeletes = new HashMap<>();
    List<SegmentRef> segs = new ArrayList<>();
    Map<String, String> common = Map.of(); // properties every input has, with the same value
    int found = 0;
    for (int i = 0; i < b.segments().size(); i++) {
      SegmentRef s = b.segments().get(i);
      Integer was = expected.get(s.id());
      if (was == null) {
        segs.add(s);
        continue;
      }
      if (found++ == 0) {
        segs.add(null); // where the outputs go
        common = new HashMap<>(s.properties());
      } else {
        common.entrySet().removeIf(p -> !p.getValue().equals(s.properties().get(p.getKey())));
      }
      DeleteSet before = snap.deletes().get(was);
      DeleteSet after = now.deletes().get(i);
      if (after.size() == before.size()) {
        continue;
      }
      long[] to = moved.get(s.id());
      for (long row = 0; row < s.rows(); row++) {
        if (after.contains(row) && !before.contains(row)) {
          long g = to[(int) row];
          newDeletes
              .computeIfAbsent((int) (g / target), k -> new ArrayList<>())
              .add((int) (g % target));
        }
      }
    }
    if (found != expected.size()) {
      throw new CommitConflictException(
          "compaction inputs were replaced meanwhile (another compaction?)");
    }
    List<SegmentRef> out = new ArrayList<>();
    for (SegmentRef o : outputs) {
      out.add(o.withProperties(common));
    }
    for (var e : newDeletes.entrySet()) {
      SegmentRef o = out.get(e.getKey());
      DeleteSet set =
          DeleteSet.EMPTY.with(e.getValue().stream().mapToInt(Integer::intValue).toArray());
      out.set(e.getKey(), o.withDeletes(engine.files().writeDeletes(o.id(), set), set.size()));
    }
    int at = segs.indexOf(null);
    segs.remove(at);
    segs.addAll(at, out);
    return b.next("compact", segs, b.walApplied(), b.nextId(), b.spec(), b.properties());
  }

  private Result compactOnce() throws IOException {
    Snapshot snap = engine.committedSnapshot();
    Manifest base = snap.manifest();
    long target = engine.options().segmentRows();
    List<Integer> inputs = candidates(base, target);
    if (inputs.isEmpty()) {
      return new Result(0, 0, 0, 0, base.version());
    }
    CollectionFiles files = engine.files();
    CollectionSpec spec = base.spec();
    List<SegmentRef> outputs = new ArrayList<>();
    // For each input, where each of its rows went: a global output row number, or -1.
    Map<String, long[]> moved = new HashMap<>();
    long written = 0;
    long dropped = 0;
    boolean ok = false;
    try {
      SegmentWriter w = null;
      try {
        for (int i : inputs) {
          SegmentReader r = snap.segments().get(i);
          DeleteSet del = snap.deletes().get(i);
          dropped += del.size();
          var vectors = r.vectors();
          long[] to = new long[Math.toIntExact(r.ref().rows())];
          java.util.Arrays.fill(to, -1);
          moved.put(r.ref().id(), to);
          for (long row = 0; row < r.ref().rows(); row++) {
            if (del.contains(row)) {
              continue;
            }
            to[(int) row] = written;
            if (w == null) {
              w = new SegmentWriter(spec, files.scratch);
            }
            w.addRow(vectors.row(row), r.idAt(row), r.attributes(row));
            written++;
            if (w.rows() >= target) {
              outputs.add(w.finish(files.store, files.prefix, CollectionFiles.newSegmentId()));
              w.close();
              w = null;
            }
          }
        }
        if (w != null && w.rows() > 0) {
          outputs.add(w.finish(files.store, files.prefix, CollectionFiles.newSegmentId()));
        }
      } finally {
        if (w != null) {
          w.close();
        }
      }
      Map<String, Integer> expected = new HashMap<>();
      for (int i : inputs) {
        expected.put(base.segments().get(i).id(), i);
      }
      Manifest m = engine.commitPrepared(b -> swapIn(b, snap, expected, moved, outputs, target));
      ok = true;
      return new Result(inputs.size(), outputs.size(), written, dropped, m.version());
    } finally {
      if (!ok) {
        for (SegmentRef s : outputs) {
          for (FileRef f : s.files().values()) {
            files.store.delete(files.key(f.key()));
          }
        }
      }
    }
  }
}
