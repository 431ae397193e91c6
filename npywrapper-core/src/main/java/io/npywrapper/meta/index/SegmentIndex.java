package io.npywrapper.meta.index;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.filter.Values;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory indexes of one sealed segment, each built from the segment's memory-mapped columns
 * on first use and kept for the segment's lifetime (the files never change): null bitmaps from the
 * validity columns, code → row bitmaps (an inverted index) for string and string_list columns,
 * false/true row bitmaps for bool columns, and zone maps (min and max per block of {@link #BLOCK}
 * rows) for int64, float64 and timestamp columns. They are derived data, never stored:
 * docs/FILTERS.md explains why. Building reads columns with typed, sequential access; no per-row
 * objects.
 *
 * <p>Thread-safe: two threads may build the same index at once; one result wins and is shared.
 */
public final class SegmentIndex {
  /** Rows per zone-map block. */
  public static final int BLOCK = 4096;

  private static final ValueLayout.OfLong I64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble F64 =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final SegmentColumns columns;
  private final Map<String, Object> cache = new ConcurrentHashMap<>();

  public SegmentIndex(SegmentColumns columns) {
    this.columns = columns;
  }

  /** Rows in the segment. */
  public int rows() {
    return Math.toIntExact(columns.rows());
  }

  /** Zone map of a numeric column: per block the smallest and largest non-null value. */
  record Zones(int blocks, boolean[] any, long[] minL, long[] maxL, double[] minD, double[] maxD) {}

  private interface Loader<T> {
    T load() throws IOException;
  }

  @SuppressWarnings("unchecked")
  private <T> T cached(String key, Loader<T> loader) throws IOException {
    Object v = cache.get(key);
    if (v == null) {
      v = loader.load();
      Object prior = cache.putIfAbsent(key, v);
      v = prior == null ? v : prior;
    }
    return (T) v;
  }

  /** The main data file of an attribute, or null when the segment predates the attribute. */
  NpyArray data(String attr, AttributeType type) throws IOException {
    String base = "attr." + attr;
    return switch (type) {
      case STRING -> typed(base + ".codes.npy", DType.INT32, rows());
      case STRING_LIST -> typed(base + ".offsets.npy", DType.INT64, rows() + 1L);
      case INT64, TIMESTAMP -> typed(base + ".npy", DType.INT64, rows());
      case FLOAT64 -> typed(base + ".npy", DType.FLOAT64, rows());
      case BOOL -> typed(base + ".npy", DType.BOOL, rows());
    };
  }

  private NpyArray typed(String name, DType dtype, long size) throws IOException {
    NpyArray a = columns.array(name);
    if (a != null && (!a.dtype().equals(dtype) || a.rank() != 1 || a.size() != size)) {
      throw new IOException(
          a.source()
              + ": expected a 1-d "
              + dtype.descr()
              + " column of "
              + size
              + " elements, found "
              + a.header());
    }
    return a;
  }

  /** Rows where the attribute is null (every row when the segment has no column for it). */
  public RoaringBitmap nulls(String attr, AttributeType type) throws IOException {
    return cached(
        "nulls:" + attr,
        () -> {
          RoaringBitmap b = new RoaringBitmap();
          if (data(attr, type) == null) {
            b.add(0L, rows());
            return b;
          }
          NpyArray valid = typed("attr." + attr + ".valid.npy", DType.BOOL, rows());
          if (valid != null) {
            MemorySegment m = valid.data();
            for (int i = 0, n = rows(); i < n; i++) {
              if (m.get(ValueLayout.JAVA_BYTE, i) == 0) {
                b.add(i);
              }
            }
          }
          return b;
        });
  }

  /** The decoded dictionary of a string or string_list attribute. */
  public String[] dictionary(String attr) throws IOException {
    return cached("dict:" + attr, () -> columns.dictionary("attr." + attr + ".dict.json"));
  }

  /**
   * Inverted index of a string or string_list column (present in the segment): element {@code c}
   * holds the rows whose value is, or whose tags include, dictionary entry {@code c}.
   */
  public RoaringBitmap[] codes(String attr, AttributeType type) throws IOException {
    return cached(
        "codes:" + attr,
        () -> {
          int dictSize = dictionary(attr).length;
          int n = rows();
          String base = "attr." + attr;
          int[] counts = new int[dictSize];
          int[][] rowsOf = new int[dictSize][];
          if (type == AttributeType.STRING) {
            MemorySegment codes = data(attr, type).data();
            for (int i = 0; i < n; i++) {
              int c = code(codes, i, dictSize, base);
              if (c >= 0) {
                counts[c]++;
              }
            }
            fill(rowsOf, counts);
            for (int i = 0; i < n; i++) {
              int c = codes.getAtIndex(I32, i);
              if (c >= 0) {
                rowsOf[c][counts[c]++] = i;
              }
            }
          } else {
            MemorySegment offsets = data(attr, type).data();
            NpyArray codesArray = columns.array(base + ".codes.npy");
            MemorySegment codes = codesArray.data();
            long total = codesArray.size();
            for (int pass = 0; pass < 2; pass++) {
              for (int i = 0; i < n; i++) {
                long from = offsets.getAtIndex(I64, i);
                long to = offsets.getAtIndex(I64, i + 1);
                if (from < 0 || from > to || to > total) {
                  throw new IOException(
                      base + ".offsets.npy: row " + i + " spans codes [" + from + ", " + to + ")");
                }
                for (long k = from; k < to; k++) {
                  int c = code(codes, k, dictSize, base);
                  if (pass == 0) {
                    counts[c]++;
                  } else {
                    rowsOf[c][counts[c]++] = i;
                  }
                }
              }
              if (pass == 0) {
                fill(rowsOf, counts);
              }
            }
          }
          RoaringBitmap[] index = new RoaringBitmap[dictSize];
          for (int c = 0; c < dictSize; c++) {
            index[c] = RoaringBitmap.bitmapOf(rowsOf[c]);
            index[c].runOptimize();
          }
          return index;
        });
  }

  private static int code(MemorySegment codes, long i, int dictSize, String base)
      throws IOException {
    int c = codes.getAtIndex(I32, i);
    if (c < -1 || c >= dictSize) {
      throw new IOException(
          base + ".codes.npy: code " + c + " at " + i + " is outside the dictionary");
    }
    return c;
  }

  private static void fill(int[][] rowsOf, int[] counts) {
    for (int c = 0; c < counts.length; c++) {
      rowsOf[c] = new int[counts[c]];
      counts[c] = 0;
    }
  }

  /** For a bool column (present in the segment): {false rows, true rows}, nulls in neither. */
  public RoaringBitmap[] bools(String attr) throws IOException {
    return cached(
        "bools:" + attr,
        () -> {
          MemorySegment m = data(attr, AttributeType.BOOL).data();
          RoaringBitmap nulls = nulls(attr, AttributeType.BOOL);
          RoaringBitmap t = new RoaringBitmap();
          for (int i = 0, n = rows(); i < n; i++) {
            if (m.get(ValueLayout.JAVA_BYTE, i) != 0) {
              t.add(i);
            }
          }
          RoaringBitmap f = RoaringBitmap.flip(t, 0L, rows());
          f.andNot(nulls);
          t.andNot(nulls);
          return new RoaringBitmap[] {f, t};
        });
  }

  /** Zone map of an int64, timestamp or float64 column present in the segment. */
  Zones zones(String attr, AttributeType type) throws IOException {
    return cached(
        "zones:" + attr,
        () -> {
          MemorySegment m = data(attr, type).data();
          RoaringBitmap nulls = nulls(attr, type);
          int n = rows();
          int blocks = (n + BLOCK - 1) / BLOCK;
          boolean[] any = new boolean[blocks];
          boolean dbl = type == AttributeType.FLOAT64;
          long[] minL = dbl ? null : new long[blocks];
          long[] maxL = dbl ? null : new long[blocks];
          double[] minD = dbl ? new double[blocks] : null;
          double[] maxD = dbl ? new double[blocks] : null;
          for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK;
            int to = Math.min(n, from + BLOCK);
            boolean noNulls = nulls.rangeCardinality(from, to) == 0;
            for (int i = from; i < to; i++) {
              if (!noNulls && nulls.contains(i)) {
                continue;
              }
              if (dbl) {
                double x = m.getAtIndex(F64, i);
                if (!any[b] || Values.compare(x, minD[b]) < 0) {
                  minD[b] = x;
                }
                if (!any[b] || Values.compare(maxD[b], x) < 0) {
                  maxD[b] = x;
                }
              } else {
                long x = m.getAtIndex(I64, i);
                if (!any[b] || x < minL[b]) {
                  minL[b] = x;
                }
                if (!any[b] || x > maxL[b]) {
                  maxL[b] = x;
                }
              }
              any[b] = true;
            }
          }
          return new Zones(blocks, any, minL, maxL, minD, maxD);
        });
  }

  /** Reads element {@code i} of an int64 column's data. */
  static long longAt(MemorySegment m, int i) {
    return m.getAtIndex(I64, i);
  }

  /** Reads element {@code i} of a float64 column's data. */
  static double doubleAt(MemorySegment m, int i) {
    return m.getAtIndex(F64, i);
  }

  /** Reads element {@code i} of an int32 column's data. */
  static int intAt(MemorySegment m, int i) {
    return m.getAtIndex(I32, i);
  }
}
