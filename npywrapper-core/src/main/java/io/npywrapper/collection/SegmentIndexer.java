package io.npywrapper.collection;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.graph.GraphVectors;
import io.npywrapper.search.graph.HnswGraphIndex;
import io.npywrapper.search.quant.QuantizedGraphVectors;
import io.npywrapper.search.quant.QuantizedVectors;
import io.npywrapper.search.quant.Reranker;
import io.npywrapper.search.quant.ScalarQuantizer;
import io.npywrapper.search.quant.TrainingOptions;
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
 * add_index} commit, one segment at a time. With {@link IndexQuantization#INT8} the segment's
 * vectors are first quantized to int8 codes ({@code index-<stamp>.i8.npy} and {@code .i8.params},
 * same stamp, same commit) and the graph is built by scoring the codes. The commit rebases onto
 * concurrent commits like any other; when the segment was compacted away meanwhile, or another
 * writer indexed it first, the new file is left for vacuum. A crash at any point leaves the
 * collection readable: an index file is either referenced by a published manifest, complete and
 * checked, or not referenced at all. Thread-safe, but builds by two instances on one collection
 * duplicate work.
 */
public final class SegmentIndexer {
  private static final System.Logger LOG = System.getLogger(SegmentIndexer.class.getName());

  private static final String GRAPH = "graph.hnsw";

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
   * Builds every missing index with {@code options} (m, efConstruction, threads, minRows,
   * quantization), stopping early with an IOException when {@code cancelled} turns true. Usable
   * indexes are kept whatever their quantization.
   */
  public Result buildMissing(IndexOptions options, BooleanSupplier cancelled) throws IOException {
    return buildMissing(options, false, cancelled);
  }

  /**
   * As {@link #buildMissing(IndexOptions, BooleanSupplier)}; when {@code convert} is true, usable
   * indexes of another quantization than {@code options.quantization()} are rebuilt too (what
   * {@code npyw index --quantize} asks for).
   */
  public Result buildMissing(IndexOptions options, boolean convert, BooleanSupplier cancelled)
      throws IOException {
    long start = System.nanoTime();
    Snapshot snap = engine.committedSnapshot();
    int built = 0;
    long rows = 0;
    long version = snap.version();
    List<SegmentRef> refs = snap.manifest().segments();
    for (int i = 0; i < refs.size(); i++) {
      SegmentRef ref = refs.get(i);
      if (!needsIndex(ref, snap.segments().get(i), snap.spec(), options, convert)) {
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

  /**
   * True if the segment is big enough and has no usable index (or, with {@code convert}, one of
   * another quantization).
   */
  boolean needsIndex(
      SegmentRef ref,
      SegmentReader reader,
      CollectionSpec spec,
      IndexOptions options,
      boolean convert) {
    if (ref.rows() < options.minRows() || ref.rows() > Integer.MAX_VALUE) {
      return false;
    }
    if (ref.index() == null) {
      return true;
    }
    if (convert && ref.index().quantization() != options.quantization()) {
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
    Path tmp = Files.createTempDirectory(files.scratch, "index-");
    String stem = "segments/" + ref.id() + "/index-" + CollectionFiles.stamp();
    try {
      long t0 = System.nanoTime();
      QuantizedVectors codes = null;
      try {
        if (options.quantization() == IndexQuantization.INT8) {
          codes = quantize(reader, spec, tmp, ref);
          if (codes == null) {
            return null;
          }
          vectors = new QuantizedGraphVectors(codes, new Reranker(reader.vectors(), spec.metric()));
        }
        HnswGraphIndex.build(
            vectors,
            options.m(),
            options.efConstruction(),
            options.threads(),
            SegmentGraphs.vectorsChecksum(ref),
            tmp.resolve(GRAPH),
            cancelled);
      } finally {
        if (codes != null) {
          codes.close();
        }
      }
      FileRef graph = publish(tmp.resolve(GRAPH), stem + ".hnsw");
      IndexRef index =
          codes == null
              ? IndexRef.of(graph)
              : new IndexRef(
                  graph,
                  publish(tmp.resolve(QuantizedVectors.CODES_FILE), stem + ".i8.npy"),
                  publish(tmp.resolve(QuantizedVectors.PARAMS_FILE), stem + ".i8.params"));
      Manifest m = commit(ref, index);
      if (m == null) {
        return null;
      }
      LOG.log(
          Level.INFO,
          "indexed segment {0} of ''{1}'' ({2} rows, m={3}, efConstruction={4},"
              + " quantization={5}) in {6} s, version {7}",
          ref.id(),
          engine.name(),
          ref.rows(),
          options.m(),
          options.efConstruction(),
          options.quantization().id(),
          String.format("%.1f", (System.nanoTime() - t0) / 1e9),
          m.version());
      return m.version();
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * Trains an int8 quantizer on the segment's vectors and writes its codes and parameters to {@code
   * dir}; the opened codes, or null (logged) when the vectors hold values it cannot encode.
   */
  private static QuantizedVectors quantize(
      SegmentReader reader, CollectionSpec spec, Path dir, SegmentRef ref) throws IOException {
    NpyArray v = reader.vectors();
    Path codes = dir.resolve(QuantizedVectors.CODES_FILE);
    Path params = dir.resolve(QuantizedVectors.PARAMS_FILE);
    try {
      ScalarQuantizer q = ScalarQuantizer.train(v, spec.metric(), TrainingOptions.DEFAULTS);
      q.encode(v, codes, params, WriteOptions.DEFAULT);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "segment " + ref.id() + ": no int8 index: " + e.getMessage());
      return null;
    }
    return QuantizedVectors.open(codes, params);
  }

  /** Uploads a finished file of the index under {@code key}, returning its manifest record. */
  private FileRef publish(Path file, String key) throws IOException {
    FileRef ref = new FileRef(key, Files.size(file), SegmentWriter.crc32c(file));
    CollectionFiles.publish(engine.files().store, engine.files().key(key), file);
    return ref;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  /** Records {@code file} as the index of segment {@code ref}; null when no longer wanted. */
  private Manifest commit(SegmentRef ref, IndexRef file) throws IOException {
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
