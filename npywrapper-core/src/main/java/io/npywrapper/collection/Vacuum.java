package io.npywrapper.collection;

import io.npywrapper.store.BlobInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes what no retained version needs: manifests older than the retention period (the newest is
 * always kept) and segment and deletion files that no retained manifest references and that are
 * older than the retention period (so files of a commit in flight are never touched). Versions
 * inside the retention period stay readable (time travel). Not thread-safe: one vacuum at a time
 * per collection.
 */
public final class Vacuum {
  private final CollectionEngine engine;

  public Vacuum(CollectionEngine engine) {
    this.engine = engine;
  }

  /** What a vacuum removed. */
  public record Result(int manifestsDeleted, int filesDeleted, long bytesFreed) {}

  public Result vacuum(Duration retention) throws IOException {
    CollectionFiles files = engine.files();
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    List<Long> versions = files.versions();
    if (versions.isEmpty()) {
      return new Result(0, 0, 0);
    }
    long latest = versions.getLast();
    Set<String> referenced = new HashSet<>();
    List<Long> expired = new java.util.ArrayList<>();
    for (long v : versions) {
      Manifest m = files.readManifest(v);
      if (v != latest && m.timestampMillis() < cutoff) {
        expired.add(v);
        continue;
      }
      for (SegmentRef s : m.segments()) {
        s.files().values().forEach(f -> referenced.add(f.key()));
        if (s.deletes() != null) {
          referenced.add(s.deletes().key());
        }
        if (s.index() != null) {
          s.index().files().forEach(f -> referenced.add(f.key()));
        }
      }
    }
    int manifests = 0;
    for (long v : expired) {
      if (files.store.delete(files.key(Manifest.key(v)))) {
        manifests++;
      }
    }
    int deleted = 0;
    long bytes = 0;
    for (String dir : List.of("segments/", "deletes/")) {
      for (BlobInfo b : files.store.list(files.key(dir))) {
        String rel = b.key().substring(files.prefix.length());
        if (referenced.contains(rel) || createdAt(rel) >= cutoff) {
          continue;
        }
        if (files.store.delete(b.key())) {
          deleted++;
          bytes += b.size();
        }
      }
    }
    return new Result(manifests, deleted, bytes);
  }

  /**
   * Creation time of a segment, index or deletion file, from the hex milliseconds in its name
   * ({@code segments/seg-<millis>-<rand>/...}, {@code
   * segments/<segment>/index-<millis>-<rand>.hnsw} (or {@code .i8.npy}, {@code .i8.params}) or
   * {@code deletes/<segment>-<millis>-<rand>.npy}); Long.MAX_VALUE (never expired) when the name
   * has none.
   */
  static long createdAt(String rel) {
    try {
      String[] parts;
      String file = rel.substring(rel.lastIndexOf('/') + 1);
      if (rel.startsWith("segments/") && file.startsWith("index-")) {
        // Written after its segment: its own stamp, index-<millis>-<rand>.<kind>
        parts = file.split("[-.]");
        return Long.parseLong(parts[1], 16);
      }
      if (rel.startsWith("segments/")) {
        String seg = rel.substring("segments/".length(), rel.indexOf('/', "segments/".length()));
        parts = seg.split("-");
        return Long.parseLong(parts[1], 16);
      }
      String name = rel.substring(rel.lastIndexOf('/') + 1).replace(".npy", "");
      parts = name.split("-");
      return Long.parseLong(parts[parts.length - 2], 16);
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
