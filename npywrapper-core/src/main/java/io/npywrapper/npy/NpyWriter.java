package io.npywrapper.npy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes whole arrays as {@code .npy} files, byte for byte as {@code np.save} would (lowest format
 * version that fits, 64-byte aligned data). Files are written under a temporary name and published
 * atomically, so a failed write leaves no file and overwrites nothing. Stateless and thread-safe.
 */
public final class NpyWriter {
  private static final int CHUNK = 8 << 20;

  private NpyWriter() {}

  /**
   * Writes {@code data}, already in the header's dtype and memory order, under {@code path}.
   *
   * @throws IllegalArgumentException if the data's size does not match the header
   */
  public static void write(Path path, NpyHeader header, MemorySegment data, WriteOptions options)
      throws IOException {
    Objects.requireNonNull(header, "header");
    checkSize(path, header, data.byteSize());
    try (AtomicOutput out = AtomicOutput.create(path, options)) {
      FileChannel ch = out.channel();
      writeFully(ch, ByteBuffer.wrap(header.encode()));
      writeSegment(ch, data);
      out.publish();
    }
  }

  /** Writes {@code data} with default options (no overwrite, fsync). */
  public static void write(Path path, NpyHeader header, MemorySegment data) throws IOException {
    write(path, header, data, WriteOptions.DEFAULT);
  }

  /** Writes a float32 matrix of {@code rows.length} rows, all of the same length. */
  public static void write(Path path, float[][] rows, WriteOptions options) throws IOException {
    int dim = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[Math.multiplyExact(rows.length, dim)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != dim) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " values, row 0 has " + dim);
      }
      System.arraycopy(rows[i], 0, flat, i * dim, dim);
    }
    write(path, flat, new long[] {rows.length, dim}, options);
  }

  /** Writes float32 values in C order with the given shape. */
  public static void write(Path path, float[] values, long[] shape, WriteOptions options)
      throws IOException {
    writeArray(path, NpyHeader.of(DType.FLOAT32, false, shape), values, values.length, options);
  }

  /**
   * The bytes of a float32 {@code .npy} of {@code values} in C order with the given shape, in
   * memory (for a request body, say); {@link NpyArray#of(byte[], String)} reads them back.
   *
   * @throws IllegalArgumentException when the shape does not hold {@code values.length} elements
   */
  public static byte[] encode(float[] values, long... shape) {
    NpyHeader header = NpyHeader.of(DType.FLOAT32, false, shape);
    if (header.elementCount() != values.length) {
      throw new IllegalArgumentException(
          "shape "
              + java.util.Arrays.toString(shape)
              + " holds "
              + header.elementCount()
              + " elements, got "
              + values.length
              + " values");
    }
    byte[] head = header.encode();
    byte[] out = new byte[Math.addExact(head.length, Math.multiplyExact(values.length, 4))];
    System.arraycopy(head, 0, out, 0, head.length);
    ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    MemorySegment.copy(values, 0, MemorySegment.ofArray(out), le, head.length, values.length);
    return out;
  }

  /** Writes float64 values in C order with the given shape. */
  public static void write(Path path, double[] values, long[] shape, WriteOptions options)
      throws IOException {
    writeArray(path, NpyHeader.of(DType.FLOAT64, false, shape), values, values.length, options);
  }

  /** Writes int64 values in C order with the given shape. */
  public static void write(Path path, long[] values, long[] shape, WriteOptions options)
      throws IOException {
    writeArray(path, NpyHeader.of(DType.INT64, false, shape), values, values.length, options);
  }

  /** Writes int32 values in C order with the given shape. */
  public static void write(Path path, int[] values, long[] shape, WriteOptions options)
      throws IOException {
    writeArray(path, NpyHeader.of(DType.INT32, false, shape), values, values.length, options);
  }

  /** Writes a bool array in C order with the given shape. */
  public static void write(Path path, boolean[] values, long[] shape, WriteOptions options)
      throws IOException {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (values[i] ? 1 : 0);
    }
    write(path, NpyHeader.of(DType.BOOL, false, shape), MemorySegment.ofArray(b), options);
  }

  /**
   * Writes a Java primitive array as the header's little-endian dtype, through a bounded buffer so
   * that the byte order is right on any platform.
   */
  private static void writeArray(
      Path path, NpyHeader header, Object array, int count, WriteOptions options)
      throws IOException {
    checkSize(path, header, (long) count * header.dtype().itemSize());
    ValueLayout layout = littleEndianLayout(header.dtype());
    try (AtomicOutput out = AtomicOutput.create(path, options)) {
      FileChannel ch = out.channel();
      writeFully(ch, ByteBuffer.wrap(header.encode()));
      int perChunk = (int) (CHUNK / layout.byteSize());
      ByteBuffer buf =
          ByteBuffer.allocateDirect((int) Math.min(CHUNK, (long) count * layout.byteSize()));
      MemorySegment bufSeg = MemorySegment.ofBuffer(buf);
      for (int i = 0; i < count; i += perChunk) {
        int n = Math.min(perChunk, count - i);
        MemorySegment.copy(array, i, bufSeg, layout, 0, n);
        writeFully(ch, buf.clear().limit((int) (n * layout.byteSize())));
      }
      out.publish();
    }
  }

  private static ValueLayout littleEndianLayout(DType t) {
    ValueLayout l =
        switch (t.kind()) {
          case FLOAT -> t.itemSize() == 4 ? ValueLayout.JAVA_FLOAT : ValueLayout.JAVA_DOUBLE;
          case INT -> t.itemSize() == 4 ? ValueLayout.JAVA_INT : ValueLayout.JAVA_LONG;
          default -> throw new IllegalArgumentException("no primitive layout for " + t);
        };
    return l.withOrder(ByteOrder.LITTLE_ENDIAN);
  }

  private static void checkSize(Path path, NpyHeader header, long bytes) {
    header.checkDataSize(path.toString(), bytes);
  }

  /**
   * Writes strings as a 1-d fixed-width unicode array ({@code <U n}, n the longest string's length
   * in code points, at least 1), as numpy stores {@code np.array(list_of_str)}.
   */
  public static void writeStrings(Path path, String[] values, WriteOptions options)
      throws IOException {
    int longest = 1;
    for (String s : values) {
      longest = Math.max(longest, s.codePointCount(0, s.length()));
    }
    DType t = DType.unicode(longest, ByteOrder.LITTLE_ENDIAN);
    NpyHeader h = NpyHeader.of(t, false, values.length);
    MemorySegment seg =
        MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, t.itemSize())]);
    for (int i = 0; i < values.length; i++) {
      ElementIO.writeString(seg, t, (long) i * t.itemSize(), values[i]);
    }
    write(path, h, seg, options);
  }

  /**
   * Writes a segment to a channel in chunks: native and {@code byte[]} segments without copying,
   * other heap segments through a bounded direct buffer.
   */
  static void writeSegment(WritableByteChannel ch, MemorySegment data) throws IOException {
    long n = data.byteSize();
    boolean viewable = data.heapBase().map(base -> base instanceof byte[]).orElse(true);
    ByteBuffer copyBuf = viewable ? null : ByteBuffer.allocateDirect((int) Math.min(CHUNK, n));
    for (long off = 0; off < n; off += CHUNK) {
      MemorySegment chunk = data.asSlice(off, Math.min(CHUNK, n - off));
      if (viewable) {
        writeFully(ch, chunk.asByteBuffer());
      } else {
        copyBuf.clear();
        MemorySegment.copy(chunk, 0, MemorySegment.ofBuffer(copyBuf), 0, chunk.byteSize());
        writeFully(ch, copyBuf.limit((int) chunk.byteSize()));
      }
    }
  }

  static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
