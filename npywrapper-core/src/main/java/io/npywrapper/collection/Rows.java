package io.npywrapper.collection;

import io.npywrapper.npy.NpyArray;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows to write: float32 vectors, optional ids and optional per-row attributes. Built from {@code
 * float[][]}, a float32 memory segment, or any real-valued {@code .npy} (converted to float32).
 * Immutable and thread-safe once built.
 */
public final class Rows {
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final int count;
  private final int dim;
  private final float[] vectors; // count * dim, row-major
  private final Ids ids;
  private final List<Map<String, Object>> attributes;

  private Rows(int count, int dim, float[] vectors, Ids ids, List<Map<String, Object>> attrs) {
    this.count = count;
    this.dim = dim;
    this.vectors = vectors;
    this.ids = ids;
    this.attributes = attrs;
  }

  /**
   * Rows from vectors of equal length.
   *
   * @throws IllegalArgumentException naming the first row whose length differs
   */
  public static Rows of(float[][] vectors) {
    int dim = vectors.length == 0 ? 0 : vectors[0].length;
    float[] flat = new float[Math.multiplyExact(vectors.length, dim)];
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != dim) {
        throw new IllegalArgumentException(
            "vector " + i + " has " + vectors[i].length + " values, vector 0 has " + dim);
      }
      System.arraycopy(vectors[i], 0, flat, i * dim, dim);
    }
    return new Rows(vectors.length, dim, flat, null, null);
  }

  /** Rows from little-endian float32 values, {@code dim} per row. */
  public static Rows of(MemorySegment float32, int dim) {
    if (dim < 1 || float32.byteSize() % (4L * dim) != 0) {
      throw new IllegalArgumentException(
          "segment of " + float32.byteSize() + " bytes is not whole rows of " + dim + " float32");
    }
    long n = float32.byteSize() / (4L * dim);
    float[] flat = new float[Math.toIntExact(n * dim)];
    MemorySegment.copy(float32, FLOAT_LE, 0, flat, 0, flat.length);
    return new Rows((int) n, dim, flat, null, null);
  }

  /**
   * Rows {@code [from, from + count)} of a 2-d real-valued array, converted to float32.
   *
   * @throws IllegalArgumentException if the array is not 2-d or not real-valued
   */
  public static Rows of(NpyArray array, long from, int count) {
    if (array.rank() != 2 || !array.dtype().isReal()) {
      throw new IllegalArgumentException(
          array.source()
              + ": vectors must be a 2-d array of numbers, got "
              + array.dtype().name()
              + " of rank "
              + array.rank());
    }
    int dim = Math.toIntExact(array.rowLength());
    float[] flat = new float[Math.multiplyExact(count, dim)];
    for (int i = 0; i < count; i++) {
      array.readRow(from + i, flat, i * dim);
    }
    return new Rows(count, dim, flat, null, null);
  }

  /** These rows with ids; their count must match. */
  public Rows withIds(Ids newIds) {
    Objects.requireNonNull(newIds, "ids");
    if (newIds.size() != count) {
      throw new IllegalArgumentException("got " + newIds.size() + " ids for " + count + " vectors");
    }
    return new Rows(count, dim, vectors, newIds, attributes);
  }

  public Rows withIds(long... newIds) {
    return withIds(Ids.of(newIds));
  }

  public Rows withIds(String... newIds) {
    return withIds(Ids.of(newIds));
  }

  /** These rows with one attribute map per row (null or missing keys are null values). */
  public Rows withAttributes(List<Map<String, Object>> attrs) {
    if (attrs.size() != count) {
      throw new IllegalArgumentException(
          "got " + attrs.size() + " attribute rows for " + count + " vectors");
    }
    return new Rows(count, dim, vectors, ids, List.copyOf(attrs));
  }

  public int count() {
    return count;
  }

  public int dim() {
    return dim;
  }

  /** The row-major float32 values (not copied: do not modify). */
  float[] vectors() {
    return vectors;
  }

  /** The ids, or null when the collection should assign them. */
  public Ids ids() {
    return ids;
  }

  /** Attribute maps per row, or null. */
  public List<Map<String, Object>> attributes() {
    return attributes;
  }
}
