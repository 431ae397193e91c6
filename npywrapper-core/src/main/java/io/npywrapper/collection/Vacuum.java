package io.npywrapper.collection;

import io.npywrapper.store.BlobInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes what no retained version needs: manifests older than the retention period (the newest is
 * always kept) and segment and deletion files that no retained manifest references and that are
 * older than the retention period (so files of a commit in flight are never touched). Versions
 * inside the retention period stay readable (time travel). It also sweeps the local scratch
 * directory of entries untouched for longer than the retention period and at least {@link
 * #SCRATCH_GRACE}: what a killed index build, import or flush left behind (a live writer touches
 * its scratch files continually). Not thread-safe: one vacuum at a time per collection.
 */
public final class Vacuum {
  private final CollectionEngine engine;

  /** Scratch entries are never swept before they have been untouched this long. */
  public static final Duration SCRATCH_GRACE = Duration.ofHours(1);

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
    long scratchCutoff =
        System.currentTimeMillis() - Math.max(retention.toMillis(), SCRATCH_GRACE.toMillis());
    long[] swept = sweepScratch(files.scratch, scratchCutoff);
    return new Result(manifests, deleted + (int) swept[0], bytes + swept[1]);
  }

  /** Deletes scratch entries whose newest file is older than {@code cutoff}: {count, bytes}. */
  private static long[] sweepScratch(Path scratch, long cutoff) throws IOException {
    long[] swept = new long[2];
    if (!Files.isDirectory(scratch)) {
      return swept;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(scratch)) {
      for (Path entry : entries) {
        try {
          if (newestModification(entry) < cutoff) {
            swept[1] += deleteTree(entry);
            swept[0]++;
          }
        } catch (NoSuchFileException | UncheckedIOException gone) {
          // its owner finished and removed it meanwhile
        }
      }
    }
    return swept;
  }

  private static long newestModification(Path entry) throws IOException {
    try (var paths = Files.walk(entry)) {
      return paths
          .mapToLong(
              p -> {
                try {
                  return Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .max()
          .orElse(Long.MAX_VALUE);
    }
  }

  private static long deleteTree(Path entry) throws IOException {
    long bytes = 0;
    try (var paths = Files.walk(entry)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isRegularFile(p)) {
          bytes += Files.size(p);
        }
        Files.deleteIfExists(p);
      }
    }
    return bytes;
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
