package io.npywrapper.collection;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Bulk import of existing {@code .npy} files of any size: vectors (2-d, any real dtype) and
 * optionally ids (1-d integers or strings), streamed into segments of the target size and committed
 * in one version, so an import is all or nothing. A little-endian float32 C-order file is copied
 * straight from its memory map; other dtypes are converted row by row. Every check on the inputs
 * happens before anything becomes visible. Not thread-safe: one import at a time per instance.
 */
public final class Importer {
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final int CHUNK_ROWS = 8192;

  private final CollectionEngine engine;

  public Importer(CollectionEngine engine) {
    this.engine = engine;
  }

  /** What an import did. */
  public record Result(long rows, int segments, long version, long firstId) {}

  /**
   * Imports {@code vectorsFile} (and {@code idsFile}, or consecutive int64 ids after the largest
   * used when null), reporting rows done to {@code progress}.
   *
   * @throws IllegalArgumentException naming the file and problem for invalid input; nothing is
   *     committed
   */
  public Result importNpy(Path vectorsFile, Path idsFile, LongConsumer progress)
      throws IOException {
    return importNpy(vectorsFile, idsFile, null, progress);
  }

  /**
   * As {@link #importNpy(Path, Path, LongConsumer)}, with one attribute map per vector (or null for
   * none): each key an attribute of the collection's schema, each value of its type (see {@link
   * io.npywrapper.meta.AttributeType#coerce}); missing keys are null.
   *
   * @throws IllegalArgumentException when the count differs from the vectors' or a row has an
   *     unknown attribute or a value of the wrong type, naming the row; nothing is written
   */
  public Result importNpy(
      Path vectorsFile, Path idsFile, List<Map<String, Object>> attributes, LongConsumer progress)
      throws IOException {
    return importNpy(vectorsFile, idsFile, attributes, Map.of(), progress);
  }

  /**
   * As {@link #importNpy(Path, Path, List, LongConsumer)}, giving every segment the import creates
   * the key/value {@code segmentProperties} (for example the source file and import time).
   *
   * @throws IllegalArgumentException also for an invalid property key or value; nothing is written
   */
  public Result importNpy(
      Path vectorsFile,
      Path idsFile,
      List<Map<String, Object>> attributes,
      Map<String, String> segmentProperties,
      LongConsumer progress)
      throws IOException {
    CollectionAdmin.checkProperties(segmentProperties);
    CollectionSpec spec = engine.spec();
    try (NpyArray vectors = NpyArray.open(vectorsFile);
        NpyArray ids = idsFile == null ? null : NpyArray.open(idsFile)) {
      checkVectors(vectors, spec);
      long rows = vectors.rows();
      List<Map<String, Object>> attrs =
          attributes == null ? null : checkAttributes(attributes, rows, spec);
      if (ids != null) {
        checkIds(ids, rows, spec);
      } else if (spec.idType() != IdType.INT64) {
        throw new IllegalArgumentException(
            "collection '" + spec.name() + "' has string ids: give --ids for the import");
      }
      Set<Object> distinct = ids == null ? null : distinctIds(ids);
      Snapshot base = engine.committedSnapshot();
      if (ids != null) {
        checkNotPresent(ids, base, distinct, 0);
      }
      long firstId = ids == null ? engine.reserve(rows) : -1;
      List<SegmentRef> written = writeSegments(vectors, ids, attrs, firstId, spec, progress);
      long baseVersion = base.version();
      Manifest m =
          engine.commitPrepared(
              b -> {
                if (ids != null && b.version() != baseVersion) {
                  checkNotPresent(ids, engine.snapshotOf(b), distinct, segmentsBefore(b, base));
                }
                List<SegmentRef> segs = new ArrayList<>(b.segments());
                for (SegmentRef r : written) {
                  segs.add(r.withProperties(segmentProperties));
                }
                long next = b.nextId();
                for (SegmentRef r : written) {
                  if (r.maxId() instanceof Long l) {
                    next = Math.max(next, l + 1);
                  }
                }
                return b.next("import", segs, b.walApplied(), next, b.spec(), b.properties());
              });
      return new Result(rows, written.size(), m.version(), firstId);
    }
  }

  /** The attribute maps checked against the schema and coerced to its types. */
  private static List<Map<String, Object>> checkAttributes(
      List<Map<String, Object>> attributes, long rows, CollectionSpec spec) {
    if (attributes.size() != rows) {
      throw new IllegalArgumentException(
          "got " + attributes.size() + " attribute rows for " + rows + " vectors");
    }
    List<Map<String, Object>> out = new ArrayList<>(attributes.size());
    for (int i = 0; i < attributes.size(); i++) {
      Map<String, Object> coerced = new HashMap<>();
      for (Map.Entry<String, Object> e : attributes.get(i).entrySet()) {
        AttributeType t = spec.schema().type(e.getKey());
        if (t == null) {
          throw new IllegalArgumentException(
              "attribute row "
                  + i
                  + ": unknown attribute '"
                  + e.getKey()
                  + "'; collection '"
                  + spec.name()
                  + "' has "
                  + spec.schema().types().keySet());
        }
        try {
          coerced.put(e.getKey(), t.coerce(e.getValue()));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(
              "attribute row " + i + ": attribute '" + e.getKey() + "': " + ex.getMessage(), ex);
        }
      }
      out.add(coerced);
    }
    return out;
  }

  private static int segmentsBefore(Manifest b, Snapshot base) {
    Set<String> old = new HashSet<>();
    base.manifest().segments().forEach(s -> old.add(s.id()));
    int i = 0;
    while (i < b.segments().size() && old.contains(b.segments().get(i).id())) {
      i++;
    }
    return i;
  }

  private static void checkVectors(NpyArray v, CollectionSpec spec) {
    if (v.rank() != 2 || !v.dtype().isReal()) {
      throw new IllegalArgumentException(
          v.source()
              + ": vectors must be a 2-d array of real numbers, got "
              + v.dtype().name()
              + " with shape "
              + Arrays.toString(v.shape()));
    }
    if (v.rowLength() != spec.dim()) {
      throw new IllegalArgumentException(
          v.source()
              + ": vectors have dimension "
              + v.rowLength()
              + ", collection '"
              + spec.name()
              + "' has dimension "
              + spec.dim());
    }
  }

  private static void checkIds(NpyArray ids, long rows, CollectionSpec spec) {
    boolean integer = ids.dtype().kind() == DType.Kind.INT || ids.dtype().kind() == DType.Kind.UINT;
    boolean string =
        ids.dtype().kind() == DType.Kind.UNICODE || ids.dtype().kind() == DType.Kind.BYTES;
    if (ids.rank() != 1) {
      throw new IllegalArgumentException(
          ids.source() + ": ids must be 1-d, got shape " + Arrays.toString(ids.shape()));
    }
    if (ids.rows() != rows) {
      throw new IllegalArgumentException(
          ids.source() + ": has " + ids.rows() + " ids for " + rows + " vectors");
    }
    if (spec.idType() == IdType.INT64 && !integer || spec.idType() == IdType.STRING && !string) {
      throw new IllegalArgumentException(
          ids.source()
              + ": collection '"
              + spec.name()
              + "' has "
              + spec.idType().id()
              + " ids, the file holds "
              + ids.dtype().name());
    }
  }

  private static Object idAt(NpyArray ids, long i) {
    return ids.dtype().kind() == DType.Kind.UNICODE || ids.dtype().kind() == DType.Kind.BYTES
        ? ids.getString(i)
        : (Object) ids.getLong(i);
  }

  private static Set<Object> distinctIds(NpyArray ids) {
    Set<Object> seen = new HashSet<>((int) Math.min(Integer.MAX_VALUE, ids.rows() * 2));
    for (long i = 0; i < ids.rows(); i++) {
      Object id = idAt(ids, i);
      if (id instanceof String s && (s.isEmpty() || s.length() > Ids.MAX_STRING_ID)) {
        throw new IllegalArgumentException(
            ids.source()
                + ": id at position "
                + i
                + " is empty or longer than "
                + Ids.MAX_STRING_ID);
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException(
            ids.source() + ": duplicate id " + id + " (second at position " + i + ")");
      }
    }
    return seen;
  }

  /** Fails if any id is live in segments {@code from..} of {@code view}. */
  private static void checkNotPresent(NpyArray ids, Snapshot view, Set<Object> distinct, int from)
      throws IOException {
    for (int s = from; s < view.segments().size(); s++) {
      SegmentRef ref = view.segments().get(s).ref();
      if (ref.minId() == null) {
        continue;
      }
      for (Object id : distinct) {
        if (ref.mayContain(id) && view.findLive(s, id) >= 0) {
          throw new IllegalArgumentException(
              ids.source()
                  + ": id "
                  + id
                  + " already exists in collection '"
                  + view.spec().name()
                  + "'");
        }
      }
    }
  }

  private List<SegmentRef> writeSegments(
      NpyArray vectors,
      NpyArray ids,
      List<Map<String, Object>> attrs,
      long firstId,
      CollectionSpec spec,
      LongConsumer progress)
      throws IOException {
    CollectionFiles files = engine.files();
    long rows = vectors.rows();
    long perSegment = engine.options().segmentRows();
    boolean raw = vectors.dtype().equals(DType.FLOAT32) && !vectors.isFortranOrder();
    List<SegmentRef> out = new ArrayList<>();
    boolean ok = false;
    try {
      float[] buf = raw ? null : new float[CHUNK_ROWS * spec.dim()];
      for (long start = 0; start < rows; start += perSegment) {
        long end = Math.min(rows, start + perSegment);
        try (SegmentWriter w = new SegmentWriter(spec, files.scratch)) {
          for (long r = start; r < end; r += CHUNK_ROWS) {
            int n = (int) Math.min(CHUNK_ROWS, end - r);
            MemorySegment chunk;
            if (raw) {
              long rowBytes = 4L * spec.dim();
              chunk = vectors.data().asSlice(r * rowBytes, n * rowBytes);
            } else {
              for (int i = 0; i < n; i++) {
                vectors.readRow(r + i, buf, i * spec.dim());
              }
              chunk = MemorySegment.ofArray(buf).asSlice(0, 4L * n * spec.dim());
            }
            if (!spec.allowNonFinite()) {
              checkFinite(chunk, r, vectors.source(), spec);
            }
            Ids chunkIds = idsFor(ids, firstId, r, n);
            if (attrs == null) {
              w.addRaw(chunk, chunkIds);
            } else {
              w.addRaw(chunk, chunkIds, attrs.subList((int) r, (int) r + n));
            }
            progress.accept(r + n);
          }
          out.add(w.finish(files.store, files.prefix, CollectionFiles.newSegmentId()));
        }
      }
      ok = true;
      return out;
    } finally {
      if (!ok) {
        for (SegmentRef s : out) {
          for (FileRef f : s.files().values()) {
            files.store.delete(files.key(f.key()));
          }
        }
      }
    }
  }

  private static Ids idsFor(NpyArray ids, long firstId, long from, int n) {
    if (ids == null) {
      return Ids.range(firstId + from, n);
    }
    if (ids.dtype().kind() == DType.Kind.UNICODE || ids.dtype().kind() == DType.Kind.BYTES) {
      String[] a = new String[n];
      for (int i = 0; i < n; i++) {
        a[i] = ids.getString(from + i);
      }
      return Ids.of(a);
    }
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = ids.getLong(from + i);
    }
    return Ids.of(a);
  }

  private static void checkFinite(
      MemorySegment chunk, long firstRow, String source, CollectionSpec spec) {
    long n = chunk.byteSize() / 4;
    for (long i = 0; i < n; i++) {
      float f = chunk.getAtIndex(FLOAT_LE, i);
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException(
            source
                + ": row "
                + (firstRow + i / spec.dim())
                + " has "
                + f
                + " at position "
                + i % spec.dim()
                + "; collection '"
                + spec.name()
                + "' accepts only finite values (option allow_non_finite)");
      }
    }
  }
}
