package io.npywrapper.collection;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Timestamps;
import io.npywrapper.meta.index.SegmentColumns;
import io.npywrapper.meta.index.SegmentIndex;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read access to one sealed segment: its vectors, ids and attribute columns, each file
 * memory-mapped on first use and checked against the manifest's size. Id lookup is a binary search
 * over {@code ids.npy} (or through {@code ids.order.npy} when the ids are unsorted), so it touches
 * O(log rows) pages. Thread-safe; shared by every snapshot that lists the segment.
 */
final class SegmentReader implements Closeable {
  /** Resolves a manifest's file to a local path, downloading it if the store is remote. */
  interface Files2Local {
    Path local(FileRef file) throws IOException;
  }

  private final SegmentRef ref;
  private final CollectionSpec spec;
  private final Files2Local resolver;
  private final Map<String, NpyArray> open = new ConcurrentHashMap<>();
  private final Map<String, String[]> dictionaries = new ConcurrentHashMap<>();
  private volatile SegmentIndex index;

  SegmentReader(SegmentRef ref, CollectionSpec spec, Files2Local resolver) {
    this.ref = ref;
    this.spec = spec;
    this.resolver = resolver;
  }

  SegmentRef ref() {
    return ref;
  }

  /** The segment's attribute indexes, built on first use from its columns. */
  SegmentIndex index() {
    SegmentIndex ix = index;
    if (ix == null) {
      synchronized (this) {
        if (index == null) {
          index =
              new SegmentIndex(
                  new SegmentColumns() {
                    @Override
                    public long rows() {
                      return ref.rows();
                    }

                    @Override
                    public NpyArray array(String name) throws IOException {
                      return SegmentReader.this.array(name);
                    }

                    @Override
                    public String[] dictionary(String name) throws IOException {
                      return SegmentReader.this.dictionary(name);
                    }
                  });
        }
        ix = index;
      }
    }
    return ix;
  }

  private NpyArray array(String name) throws IOException {
    NpyArray a = open.get(name);
    if (a != null) {
      return a;
    }
    synchronized (this) {
      a = open.get(name);
      if (a == null) {
        FileRef f = ref.files().get(name);
        if (f == null) {
          return null;
        }
        Path p = resolver.local(f);
        long size = Files.size(p);
        if (size != f.size()) {
          throw new CorruptFileException(
              p.toString(), "size " + size + " bytes, the manifest records " + f.size());
        }
        a = NpyArray.open(p);
        open.put(name, a);
      }
      return a;
    }
  }

  NpyArray vectors() throws IOException {
    NpyArray v = array(SegmentWriter.VECTORS);
    if (v.rank() != 2
        || v.rows() != ref.rows()
        || v.rowLength() != spec.dim()
        || !v.dtype().equals(DType.FLOAT32)) {
      throw new CorruptFileException(
          v.source(),
          "expected float32 ("
              + ref.rows()
              + ", "
              + spec.dim()
              + "), found "
              + v.dtype().name()
              + " "
              + java.util.Arrays.toString(v.shape()));
    }
    return v;
  }

  /** Copies row {@code row}'s vector into {@code dst}. */
  void readVector(long row, float[] dst) throws IOException {
    vectors().readRow(row, dst, 0);
  }

  Object idAt(long row) throws IOException {
    NpyArray ids = array(SegmentWriter.IDS);
    return spec.idType() == IdType.INT64 ? (Object) ids.getLong(row) : ids.getString(row);
  }

  /** The row holding {@code id} (deleted or not), or -1. */
  long find(Object id) throws IOException {
    if (!ref.mayContain(id)) {
      return -1;
    }
    NpyArray ids = array(SegmentWriter.IDS);
    NpyArray order = ref.idsSorted() ? null : array(SegmentWriter.ORDER);
    long lo = 0;
    long hi = ref.rows() - 1;
    while (lo <= hi) {
      long mid = (lo + hi) >>> 1;
      long row = order == null ? mid : order.getLong(mid);
      int c = compare(ids, row, id);
      if (c == 0) {
        return row;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  private int compare(NpyArray ids, long row, Object id) {
    if (spec.idType() == IdType.INT64) {
      return Long.compare(ids.getLong(row), (Long) id);
    }
    return ids.getString(row).compareTo((String) id);
  }

  /** Row {@code row}'s attribute values by name (null where absent). */
  Map<String, Object> attributes(long row) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    for (var e : spec.schema().types().entrySet()) {
      m.put(e.getKey(), attribute(e.getKey(), e.getValue(), row));
    }
    return m;
  }

  private Object attribute(String name, AttributeType type, long row) throws IOException {
    String base = "attr." + name;
    NpyArray valid = array(base + ".valid.npy");
    if (valid != null && !valid.getBoolean(row)) {
      return null;
    }
    return switch (type) {
      case INT64 -> {
        NpyArray a = array(base + ".npy");
        yield a == null ? null : (Object) a.getLong(row);
      }
      case FLOAT64 -> {
        NpyArray a = array(base + ".npy");
        yield a == null ? null : (Object) a.getDouble(row);
      }
      case BOOL -> {
        NpyArray a = array(base + ".npy");
        yield a == null ? null : (Object) a.getBoolean(row);
      }
      case STRING -> {
        NpyArray codes = array(base + ".codes.npy");
        if (codes == null) {
          yield null;
        }
        int code = (int) codes.getLong(row);
        yield code < 0 ? null : dictionary(base + ".dict.json")[code];
      }
      case TIMESTAMP -> {
        NpyArray a = array(base + ".npy");
        yield a == null ? null : Timestamps.ofMicros(a.getLong(row));
      }
      case STRING_LIST -> stringList(base, row);
    };
  }

  private List<String> stringList(String base, long row) throws IOException {
    NpyArray offsets = array(base + ".offsets.npy");
    if (offsets == null) {
      return null;
    }
    NpyArray codes = array(base + ".codes.npy");
    String[] dict = dictionary(base + ".dict.json");
    if (offsets.size() != ref.rows() + 1 || codes == null) {
      throw new CorruptFileException(
          offsets.source(),
          "expected "
              + (ref.rows() + 1)
              + " offsets and a codes file, found "
              + offsets.size()
              + (codes == null ? " and no codes file" : ""));
    }
    long from = offsets.getLong(row);
    long to = offsets.getLong(row + 1);
    if (from < 0 || from > to || to > codes.size()) {
      throw new CorruptFileException(
          offsets.source(),
          "row " + row + " spans codes [" + from + ", " + to + ") of " + codes.size());
    }
    List<String> tags = new ArrayList<>((int) (to - from));
    for (long k = from; k < to; k++) {
      long code = codes.getLong(k);
      if (code < 0 || code >= dict.length) {
        throw new CorruptFileException(
            codes.source(), "code " + code + " at " + k + " is outside the dictionary");
      }
      tags.add(dict[(int) code]);
    }
    return Collections.unmodifiableList(tags);
  }

  private String[] dictionary(String name) throws IOException {
    String[] d = dictionaries.get(name);
    if (d == null) {
      FileRef f = ref.files().get(name);
      if (f == null) {
        throw new CorruptFileException(
            "segment " + ref.id(), "has a codes column but no dictionary file " + name);
      }
      Path p = resolver.local(f);
      d = DictionaryJson.decode(Files.readAllBytes(p), p.toString());
      dictionaries.put(name, d);
    }
    return d;
  }

  @Override
  public void close() {
    open.values().forEach(NpyArray::close);
    open.clear();
  }
}
