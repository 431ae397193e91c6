package io.npywrapper.collection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
          for (long row = 0; row < r.ref().rows(); row++) {
            if (del.contains(row)) {
              continue;
            }
            if (w == null) {
              w = new SegmentWriter(spec, files.scratch);
            }
            w.addRow(vectors.row(row), r.idAt(row), r.attributes(row));
            written++;
            if (w.rows() >= target) {
              outputs.add(w.finish(files.store, files.prefix, CollectionEngine.newSegmentId()));
              w.close();
              w = null;
            }
          }
        }
        if (w != null && w.rows() > 0) {
          outputs.add(w.finish(files.store, files.prefix, CollectionEngine.newSegmentId()));
        }
      } finally {
        if (w != null) {
          w.close();
        }
      }
      Map<String, SegmentRef> expected = new HashMap<>();
      for (int i : inputs) {
        SegmentRef s = base.segments().get(i);
        expected.put(s.id(), s);
      }
      Manifest m =
          engine.commitPrepared(
              b -> {
                List<SegmentRef> segs = new ArrayList<>();
                int found = 0;
                boolean placed = false;
                for (SegmentRef s : b.segments()) {
                  SegmentRef was = expected.get(s.id());
                  if (was == null) {
                    segs.add(s);
                    continue;
                  }
                  if (!Objects.equals(was.deletes(), s.deletes())) {
                    throw new CommitConflictException(
                        "compaction input " + s.id() + " had rows deleted meanwhile");
                  }
                  found++;
                  if (!placed) {
                    segs.addAll(outputs);
                    placed = true;
                  }
                }
                if (found != expected.size()) {
                  throw new CommitConflictException(
                      "compaction inputs were replaced meanwhile (another compaction?)");
                }
                return b.next(
                    "compact", segs, b.walApplied(), b.nextId(), b.spec(), b.properties());
              });
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
