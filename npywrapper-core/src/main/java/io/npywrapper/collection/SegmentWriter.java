package io.npywrapper.collection;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Timestamps;
import io.npywrapper.meta.index.AttributeStats;
import io.npywrapper.meta.index.SegmentStats;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.NpyWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.Checksums;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds one immutable segment: streams vectors into {@code vectors.npy}, gathers ids and attribute
 * columns, then writes the id and attribute files and the statistics ({@code stats.json}), uploads
 * everything under a fresh segment id and returns the manifest entry. Nothing is visible to readers
 * until a manifest that lists the segment is committed. Not thread-safe.
 */
final class SegmentWriter implements Closeable {
  static final String VECTORS = "vectors.npy";
  static final String IDS = "ids.npy";
  static final String ORDER = "ids.order.npy";

  private final CollectionSpec spec;
  private final Path staging;
  private final NpyStreamWriter vectors;
  private final IdColumn ids;
  private final Map<String, AttributeColumn> attributes = new LinkedHashMap<>();
  private long rows;

  SegmentWriter(CollectionSpec spec, Path stagingParent) throws IOException {
    this.spec = spec;
    Files.createDirectories(stagingParent);
    this.staging = Files.createTempDirectory(stagingParent, "segment-");
    WriteOptions noSync = WriteOptions.DEFAULT.withoutSync();
    this.vectors = NpyStreamWriter.createFloat32(staging.resolve(VECTORS), spec.dim(), noSync);
    this.ids = new IdColumn(spec.idType());
    for (var e : spec.schema().types().entrySet()) {
      attributes.put(e.getKey(), new AttributeColumn(e.getValue()));
    }
  }

  long rows() {
    return rows;
  }

  /** Appends row {@code i} of a batch. */
  void add(Batch b, int i) throws IOException {
    long rowBytes = 4L * b.dim;
    vectors.append(
        java.lang.foreign.MemorySegment.ofArray(b.vectors).asSlice(i * rowBytes, rowBytes));
    ids.add(b.ids.get(i));
    for (var e : attributes.entrySet()) {
      Object[] col = b.columns.get(e.getKey());
      e.getValue().add(col == null ? null : col[i]);
    }
    rows++;
  }

  /** Appends one row: its vector as little-endian float32 bytes, its id and attributes. */
  void addRow(java.lang.foreign.MemorySegment vector, Object id, Map<String, Object> attrs)
      throws IOException {
    vectors.append(vector);
    ids.add(id);
    for (var e : attributes.entrySet()) {
      e.getValue().add(attrs.get(e.getKey()));
    }
    rows++;
  }

  /** Appends {@code count} rows: vectors as little-endian float32 bytes, ids, no attributes. */
  void addRaw(java.lang.foreign.MemorySegment float32Rows, Ids rowIds) throws IOException {
    vectors.append(float32Rows);
    for (int i = 0; i < rowIds.size(); i++) {
      ids.add(rowIds.get(i));
    }
    for (AttributeColumn c : attributes.values()) {
      for (int i = 0; i < rowIds.size(); i++) {
        c.add(null);
      }
    }
    rows += rowIds.size();
  }

  /** Appends {@code count} rows: vectors as little-endian float32 bytes, ids, attribute maps. */
  void addRaw(
      java.lang.foreign.MemorySegment float32Rows, Ids rowIds, List<Map<String, Object>> attrs)
      throws IOException {
    vectors.append(float32Rows);
    for (int i = 0; i < rowIds.size(); i++) {
      ids.add(rowIds.get(i));
    }
    for (var e : attributes.entrySet()) {
      for (int i = 0; i < rowIds.size(); i++) {
        e.getValue().add(attrs.get(i).get(e.getKey()));
      }
    }
    rows += rowIds.size();
  }

  /** Writes the remaining files and uploads the segment under {@code <prefix>segments/<id>/}. */
  SegmentRef finish(BlobStore store, String prefix, String segmentId) throws IOException {
    vectors.finish();
    WriteOptions noSync = WriteOptions.DEFAULT.withoutSync();
    Object[] minMax = ids.write(staging, noSync);
    boolean sorted = ids.sorted;
    Map<String, AttributeStats> attrStats = new LinkedHashMap<>();
    for (var e : attributes.entrySet()) {
      e.getValue().write(staging, e.getKey(), noSync);
      attrStats.put(e.getKey(), AttributeStats.of(e.getValue().type, e.getValue().values));
    }
    SegmentStats stats = new SegmentStats(rows, attrStats);
    Files.write(staging.resolve(SegmentStats.FILE), stats.toFile(spec.schema()));
    Map<String, FileRef> files = new LinkedHashMap<>();
    List<Path> staged;
    try (Stream<Path> s = Files.list(staging)) {
      staged = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
    String dir = "segments/" + segmentId + "/";
    for (Path p : staged) {
      String name = p.getFileName().toString();
      FileRef ref = new FileRef(dir + name, Files.size(p), crc32c(p));
      CollectionFiles.publish(store, prefix + ref.key(), p);
      files.put(name, ref);
    }
    return new SegmentRef(
        segmentId, rows, files, null, 0, minMax[0], minMax[1], sorted, stats, Map.of(), null);
  }

  static int crc32c(Path p) throws IOException {
    return (int) Checksums.crc32c(p);
  }

  /** Removes the staging directory (after upload or on failure). */
  @Override
  public void close() throws IOException {
    vectors.close();
    if (Files.exists(staging)) {
      try (Stream<Path> s = Files.walk(staging)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The id column and, unless the ids arrive sorted, the permutation that sorts them. */
  private static final class IdColumn {
    private final IdType type;
    private long[] longs = new long[1024];
    private final List<String> strings = new ArrayList<>();
    private int n;
    boolean sorted = true;

    IdColumn(IdType type) {
      this.type = type;
    }

    void add(Object id) {
      if (type == IdType.INT64) {
        long v = (Long) id;
        if (n == longs.length) {
          longs = Arrays.copyOf(longs, Math.multiplyExact(n, 2));
        }
        if (n > 0 && longs[n - 1] >= v) {
          sorted = false;
        }
        longs[n++] = v;
      } else {
        String s = (String) id;
        if (n > 0 && strings.get(n - 1).compareTo(s) >= 0) {
          sorted = false;
        }
        strings.add(s);
        n++;
      }
    }

    /** Writes ids.npy (and ids.order.npy when unsorted); returns {min, max}. */
    Object[] write(Path dir, WriteOptions options) throws IOException {
      if (n == 0) {
        NpyWriter.write(dir.resolve(IDS), new long[0], new long[] {0}, options);
        return new Object[] {null, null};
      }
      Integer[] order = null;
      if (!sorted) {
        order = new Integer[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        if (type == IdType.INT64) {
          long[] l = longs;
          Arrays.sort(order, (a, b) -> Long.compare(l[a], l[b]));
        } else {
          Arrays.sort(order, (a, b) -> strings.get(a).compareTo(strings.get(b)));
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
          perm[i] = order[i];
        }
        NpyWriter.write(dir.resolve(ORDER), perm, new long[] {n}, options);
      }
      int first = order == null ? 0 : order[0];
      int last = order == null ? n - 1 : order[n - 1];
      if (type == IdType.INT64) {
        NpyWriter.write(dir.resolve(IDS), Arrays.copyOf(longs, n), new long[] {n}, options);
        return new Object[] {longs[first], longs[last]};
      }
      NpyWriter.writeStrings(dir.resolve(IDS), strings.toArray(String[]::new), options);
      return new Object[] {strings.get(first), strings.get(last)};
    }
  }

  /** One attribute's values for the segment, written as DESIGN.md's columns. */
  private static final class AttributeColumn {
    private final AttributeType type;
    private final List<Object> values = new ArrayList<>();
    private boolean anyNull;

    AttributeColumn(AttributeType type) {
      this.type = type;
    }

    void add(Object v) {
      values.add(v);
      anyNull |= v == null;
    }

    void write(Path dir, String name, WriteOptions options) throws IOException {
      int n = values.size();
      long[] shape = {n};
      String base = "attr." + name;
      switch (type) {
        case INT64 -> {
          long[] a = new long[n];
          for (int i = 0; i < n; i++) {
            a[i] = values.get(i) == null ? 0 : (Long) values.get(i);
          }
          NpyWriter.write(dir.resolve(base + ".npy"), a, shape, options);
        }
        case FLOAT64 -> {
          double[] a = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = values.get(i) == null ? Double.NaN : (Double) values.get(i);
          }
          NpyWriter.write(dir.resolve(base + ".npy"), a, shape, options);
        }
        case BOOL -> {
          boolean[] a = new boolean[n];
          for (int i = 0; i < n; i++) {
            a[i] = Boolean.TRUE.equals(values.get(i));
          }
          NpyWriter.write(dir.resolve(base + ".npy"), a, shape, options);
        }
        case STRING -> {
          Map<String, Integer> dict = new LinkedHashMap<>();
          int[] codes = new int[n];
          for (int i = 0; i < n; i++) {
            Object v = values.get(i);
            codes[i] = v == null ? -1 : dict.computeIfAbsent((String) v, k -> dict.size());
          }
          NpyWriter.write(dir.resolve(base + ".codes.npy"), codes, shape, options);
          Files.write(dir.resolve(base + ".dict.json"), DictionaryJson.encode(dict.keySet()));
        }
        case TIMESTAMP -> {
          long[] a = new long[n];
          for (int i = 0; i < n; i++) {
            Object v = values.get(i);
            a[i] = v == null ? 0 : Timestamps.toMicros((Instant) v);
          }
          NpyWriter.write(dir.resolve(base + ".npy"), a, shape, options);
        }
        case STRING_LIST -> writeStringList(dir, base, options);
      }
      if (anyNull) {
        boolean[] valid = new boolean[n];
        for (int i = 0; i < n; i++) {
          valid[i] = values.get(i) != null;
        }
        NpyWriter.write(dir.resolve(base + ".valid.npy"), valid, shape, options);
      }
    }

    /** Row i's tags are codes[offsets[i]:offsets[i+1]]; a null list has an empty range. */
    private void writeStringList(Path dir, String base, WriteOptions options) throws IOException {
      int n = values.size();
      long[] offsets = new long[n + 1];
      for (int i = 0; i < n; i++) {
        Object v = values.get(i);
        offsets[i + 1] = offsets[i] + (v == null ? 0 : ((List<?>) v).size());
      }
      int[] codes = new int[Math.toIntExact(offsets[n])];
      Map<String, Integer> dict = new LinkedHashMap<>();
      int k = 0;
      for (Object v : values) {
        if (v != null) {
          for (Object tag : (List<?>) v) {
            codes[k++] = dict.computeIfAbsent((String) tag, t -> dict.size());
          }
        }
      }
      NpyWriter.write(dir.resolve(base + ".offsets.npy"), offsets, new long[] {n + 1}, options);
      NpyWriter.write(dir.resolve(base + ".codes.npy"), codes, new long[] {codes.length}, options);
      Files.write(dir.resolve(base + ".dict.json"), DictionaryJson.encode(dict.keySet()));
    }
  }
}
