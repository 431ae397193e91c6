package io.npywrapper.collection;

import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.VectorKernels;
import io.npywrapper.search.graph.GraphIndex;
import io.npywrapper.search.graph.GraphVectors;
import io.npywrapper.search.graph.HnswGraphIndex;
import io.npywrapper.search.graph.MappedFloatVectors;
import io.npywrapper.search.quant.QuantizedGraphVectors;
import io.npywrapper.search.quant.QuantizedVectors;
import io.npywrapper.search.quant.Reranker;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The opened graph indexes of one collection, by index file: each memory-mapped and fully checked
 * on first use and shared by every snapshot that lists it; an int8 index also maps its codes
 * (checked against their CRC32C in one pass) and walks them, re-ranking from the float32 rows.
 *
 * <p>A graph reads the segment's {@code vectors.npy} through a mapping of its own, advised for
 * random access ({@link AccessAdvice}) like the codes: a walk or a re-rank reads scattered rows,
 * and a fault should not pull in megabytes of read-ahead. The segment reader's mapping of the same
 * file, which exact scans and row fetches read front to back, keeps the kernel's default
 * (sequential read-ahead): advice is per mapping, the page cache is shared.
 *
 * <p>An index that fails its checks (size, checksum, header, built for other vectors, corrupt codes
 * or parameters) is logged once, never searched, and reported as {@link #isBroken broken} so the
 * indexer builds a new one; queries scan that segment exactly meanwhile. Thread-safe.
 */
final class SegmentGraphs implements Closeable {
  private static final System.Logger LOG = System.getLogger(SegmentGraphs.class.getName());

  private final CollectionFiles files;
  private final Map<String, GraphIndex> open = new ConcurrentHashMap<>();
  private final Map<String, QuantizedVectors> codes = new ConcurrentHashMap<>();
  private final Map<String, NpyArray> walkRows = new ConcurrentHashMap<>();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  SegmentGraphs(CollectionFiles files) {
    this.files = files;
  }

  /** Vectors of a segment as the graph sees them, or null when they cannot be read in place. */
  static GraphVectors vectors(SegmentReader reader, CollectionSpec spec) throws IOException {
    return vectors(reader.vectors(), spec);
  }

  /** As {@link #vectors(SegmentReader, CollectionSpec)} over a mapping of the vectors file. */
  private static GraphVectors vectors(NpyArray v, CollectionSpec spec) {
    if (!v.dtype().equals(DType.FLOAT32) || v.isFortranOrder() || v.rows() > Integer.MAX_VALUE) {
      return null;
    }
    return new MappedFloatVectors(
        v.data(), (int) v.rows(), spec.dim(), spec.metric(), VectorKernels.get());
  }

  /** The CRC32C of the segment's vectors file, which its index records. */
  static long vectorsChecksum(SegmentRef ref) {
    FileRef f = ref.files().get(SegmentWriter.VECTORS);
    return f == null ? 0 : Integer.toUnsignedLong(f.crc32c());
  }

  /** The usable graph of segment {@code ref}, or null when it has none or it is broken. */
  GraphIndex graph(SegmentRef ref, SegmentReader reader, CollectionSpec spec) {
    IndexRef f = ref.index();
    if (f == null || closed || broken.contains(f.key())) {
      return null;
    }
    GraphIndex g = open.get(f.key());
    if (g != null) {
      return g;
    }
    synchronized (this) {
      g = open.get(f.key());
      if (g != null || broken.contains(f.key()) || closed) {
        return g;
      }
      QuantizedVectors codes = null;
      NpyArray rows = null;
      try {
        rows = walkMapping(ref, reader);
        GraphVectors vectors = vectors(rows, spec);
        if (vectors == null) {
          throw new IOException("vectors of segment " + ref.id() + " are not float32 C-order");
        }
        for (FileRef file : f.files()) {
          checkSize(file);
        }
        if (f.codes() != null) {
          codes = QuantizedVectors.open(files.local(f.codes()), files.local(f.params()));
          codes.verify();
          if (codes.size() != vectors.size()) {
            throw new CorruptFileException(
                f.codes().key(),
                codes.size() + " rows of codes, the segment has " + vectors.size() + " rows");
          }
          vectors = new QuantizedGraphVectors(codes, new Reranker(rows, spec.metric()));
        }
        g = HnswGraphIndex.open(files.local(f.graph()), vectors, vectorsChecksum(ref));
        // Walks and re-ranking read rows at random: a fault should not pull in megabytes around.
        // Only this index's own mappings are advised; the reader's mapping stays sequential.
        AccessAdvice.random(rows.data());
        if (codes != null) {
          AccessAdvice.random(codes.data());
        }
        open.put(f.key(), g);
        walkRows.put(f.key(), rows);
        if (codes != null) {
          this.codes.put(f.key(), codes);
        }
        return g;
      } catch (IOException | RuntimeException e) {
        if (codes != null) {
          codes.close();
        }
        if (rows != null) {
          rows.close();
        }
        broken.add(f.key());
        LOG.log(
            Level.WARNING,
            "graph index "
                + f.key()
                + " of collection '"
                + files.name
                + "' is not used and will be rebuilt: "
                + e.getMessage());
        return null;
      }
    }
  }

  /**
   * A second mapping of the segment's vectors file for the graph alone, after the reader checked
   * the file (size against the manifest, float32 shape); the file is immutable, so the two agree.
   */
  private NpyArray walkMapping(SegmentRef ref, SegmentReader reader) throws IOException {
    NpyArray checked = reader.vectors();
    NpyArray own = NpyArray.open(files.local(ref.files().get(SegmentWriter.VECTORS)));
    if (!own.header().equals(checked.header())) {
      own.close();
      throw new CorruptFileException(
          checked.source(),
          "changed while open: header " + own.header() + ", was " + checked.header());
    }
    return own;
  }

  /** The mapping of {@code index}'s segment vectors its graph reads, or null when not open. */
  NpyArray walkRows(IndexRef index) {
    return walkRows.get(index.key());
  }

  private void checkSize(FileRef f) throws IOException {
    var local = files.local(f);
    long size = java.nio.file.Files.size(local);
    if (size != f.size()) {
      throw new CorruptFileException(
          local.toString(), "size " + size + " bytes, the manifest records " + f.size());
    }
  }

  /** True if {@code index} failed its checks in this process. */
  boolean isBroken(IndexRef index) {
    return index != null && broken.contains(index.key());
  }

  /** Unmaps every index. Searches must have finished. */
  @Override
  public synchronized void close() {
    closed = true;
    open.values()
        .forEach(
            g -> {
              try {
                g.close();
              } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing a graph index: " + e);
              }
            });
    open.clear();
    codes.values().forEach(QuantizedVectors::close);
    codes.clear();
    walkRows.values().forEach(NpyArray::close);
    walkRows.clear();
  }
}
