package io.npywrapper.collection;

import io.npywrapper.search.graph.GraphVectors;
import io.npywrapper.search.graph.HnswGraphIndex;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * Builds the graph indexes a collection's newest version lacks: for each sealed segment with at
 * least {@link IndexOptions#minRows} rows and no usable index (none yet, or one that failed its
 * checks), a graph over the segment's own memory-mapped vectors is written to scratch, published
 * under a fresh name ({@code segments/<id>/index-<stamp>.hnsw}) and recorded by an {@code
 * add_index} commit, one segment at a time. The commit rebases onto concurrent commits like any
 * other; when the segment was compacted away meanwhile, or another writer indexed it first, the new
 * file is left for vacuum. A crash at any point leaves the collection readable: an index file is
 * either referenced by a published manifest, complete and checked, or not referenced at all.
 * Thread-safe, but builds by two instances on one collection duplicate work.
 */
public final class SegmentIndexer {
  private static final System.Logger LOG = System.getLogger(SegmentIndexer.class.getName());

  private final CollectionEngine engine;

  public SegmentIndexer(CollectionEngine engine) {
    this.engine = engine;
  }

  /** What a build did. */
  public record Result(int built, long rowsIndexed, double seconds, long version) {}

  /** Builds every missing index with the engine's options; returns when done. */
  public Result buildMissing() throws IOException {
    return buildMissing(engine.options().index(), () -> false);
  }

  /**
   * Builds every missing index with {@code options} (m, efConstruction, threads, minRows), stopping
   * early with an IOException when {@code cancelled} turns true.
   */
  public Result buildMissing(IndexOptions options, BooleanSupplier cancelled) throws IOException {
    long start = System.nanoTime();
    Snapshot snap = engine.committedSnapshot();
    int built = 0;
    long rows = 0;
    long version = snap.version();
    List<SegmentRef> refs = snap.manifest().segments();
    for (int i = 0; i < refs.size(); i++) {
      SegmentRef ref = refs.get(i);
      if (!needsIndex(ref, snap.segments().get(i), snap.spec(), options)) {
        continue;
      }
      if (cancelled.getAsBoolean()) {
        throw new IOException("index build cancelled");
      }
      Long v = buildOne(ref, snap.segments().get(i), snap.spec(), options, cancelled);
      if (v != null) {
        built++;
        rows += ref.rows();
        version = v;
      }
    }
    return new Result(built, rows, (System.nanoTime() - start) / 1e9, version);
  }

  /** True if the segment is big enough and has no usable index. */
  boolean needsIndex(
      SegmentRef ref, SegmentReader reader, CollectionSpec spec, IndexOptions options) {
    if (ref.rows() < options.minRows() || ref.rows() > Integer.MAX_VALUE) {
      return false;
    }
    if (ref.index() == null) {
      return true;
    }
    // Opening checks it; a broken one is remembered and reported.
    return engine.graphs().graph(ref, reader, spec) == null;
  }

  /** Builds, publishes and commits one index; the new version, or null if it was not needed. */
  private Long buildOne(
      SegmentRef ref,
      SegmentReader reader,
      CollectionSpec spec,
      IndexOptions options,
      BooleanSupplier cancelled)
      throws IOException {
    GraphVectors vectors = SegmentGraphs.vectors(reader, spec);
    if (vectors == null) {
      LOG.log(Level.INFO, "segment " + ref.id() + ": vectors not float32 C-order, no index");
      return null;
    }
    CollectionFiles files = engine.files();
    Files.createDirectories(files.scratch);
    Path tmp = Files.createTempFile(files.scratch, "index-", ".hnsw");
    try {
      Files.delete(tmp);
      long t0 = System.nanoTime();
      HnswGraphIndex.build(
          vectors,
          options.m(),
          options.efConstruction(),
          options.threads(),
          SegmentGraphs.vectorsChecksum(ref),
          tmp,
          cancelled);
      String key = "segments/" + ref.id() + "/index-" + CollectionFiles.stamp() + ".hnsw";
      FileRef file = new FileRef(key, Files.size(tmp), SegmentWriter.crc32c(tmp));
      CollectionFiles.publish(files.store, files.key(key), tmp);
      Manifest m = commit(ref, file);
      if (m == null) {
        return null;
      }
      LOG.log(
          Level.INFO,
          "indexed segment {0} of ''{1}'' ({2} rows, m={3}, efConstruction={4}) in {5} s,"
              + " version {6}",
          ref.id(),
          engine.name(),
          ref.rows(),
          options.m(),
          options.efConstruction(),
          String.format("%.1f", (System.nanoTime() - t0) / 1e9),
          m.version());
      return m.version();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Records {@code file} as the index of segment {@code ref}; null when no longer wanted. */
  private Manifest commit(SegmentRef ref, FileRef file) throws IOException {
    try {
      return engine.commitIndex(
          b -> {
            List<SegmentRef> segs = new ArrayList<>(b.segments());
            for (int i = 0; i < segs.size(); i++) {
              SegmentRef s = segs.get(i);
              if (s.id().equals(ref.id())) {
                boolean replaceable =
                    s.index() == null
                        || s.index().equals(ref.index())
                        || engine.graphs().isBroken(s.index());
                if (!replaceable) {
                  throw new NoSuchElementException(
                      "segment " + ref.id() + " was indexed meanwhile");
                }
                segs.set(i, s.withIndex(file));
                return b.next(
                    "add_index", segs, b.walApplied(), b.nextId(), b.spec(), b.properties());
              }
            }
            throw new NoSuchElementException("segment " + ref.id() + " was compacted away");
          });
    } catch (NoSuchElementException e) {
      LOG.log(Level.INFO, "index not recorded: " + e.getMessage());
      return null;
    }
  }
}
