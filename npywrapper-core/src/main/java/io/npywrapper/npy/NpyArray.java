package io.npywrapper.npy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A numpy array whose data is a {@link MemorySegment}: usually a read-only memory map of a {@code
 * .npy} file of any size, opened in time independent of the file's size. Elements are read in
 * place, never copied, in any supported dtype, byte order and memory order; rows of any real dtype
 * can be read as float32 on the fly.
 *
 * <p>Reads are thread-safe. {@link #close()} unmaps the file; it must not race with reads (a read
 * after close fails with {@link IllegalStateException}, never with a crash).
 */
public final class NpyArray implements AutoCloseable {
  private final String source;
  private final NpyHeader header;
  private final MemorySegment data;
  private final Arena arena;
  private final long[] shape;
  private final long[] strides; // in elements, per axis
  private final long rows;
  private final long rowLength;

  private NpyArray(String source, NpyHeader header, MemorySegment data, Arena arena) {
    this.source = source;
    this.header = header;
    this.data = data;
    this.arena = arena;
    this.shape = header.shape();
    this.strides = strides(shape, header.fortranOrder());
    this.rows = shape.length == 0 ? 1 : shape[0];
    long len = 1;
    for (int i = 1; i < shape.length; i++) {
      len *= shape[i];
    }
    this.rowLength = len;
  }

  /**
   * Memory-maps a {@code .npy} file read-only. Only the header is read; the data is mapped.
   *
   * @throws NpyFormatException naming the file when it is not a valid, supported {@code .npy}
   * @throws NoSuchFileException when it does not exist
   */
  public static NpyArray open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    String source = path.toString();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      NpyHeader header = readHeader(ch, 0, ch.size(), source);
      if (header.dataBytes() == 0) {
        return new NpyArray(source, header, MemorySegment.ofArray(new byte[0]), null);
      }
      Arena arena = Arena.ofShared();
      try {
        return new NpyArray(source, header, mapData(ch, 0, header, arena), arena);
      } catch (IOException | RuntimeException e) {
        arena.close();
        throw e;
      }
    }
  }

  /**
   * Reads a whole {@code .npy} image held in memory (for example an HTTP request body), without
   * copying its data. The header is checked against the image's length: a short or over-long image
   * fails.
   *
   * @throws NpyFormatException naming {@code source} when the bytes are not a valid {@code .npy}
   */
  public static NpyArray of(byte[] image, String source) throws NpyFormatException {
    Objects.requireNonNull(image, "image");
    ByteBuffer prefix =
        ByteBuffer.wrap(image, 0, Math.min(image.length, NpyHeader.PREFIX_LENGTH)).slice();
    int end = NpyHeader.headerEnd(prefix, source);
    if (end > image.length) {
      throw new NpyFormatException(
          source,
          "truncated header: it declares " + end + " bytes but the image holds " + image.length);
    }
    NpyHeader header =
        NpyHeader.parse(ByteBuffer.wrap(image, 0, end).slice(), image.length, source);
    MemorySegment data = MemorySegment.ofArray(image).asSlice(end);
    return wrap(source, header, data, null);
  }

  /**
   * Maps a {@code .npy} image that occupies {@code length} bytes of {@code ch} from {@code start}
   * (for example a stored {@code .npz} member) into {@code arena}, zero-copy. The header is read
   * and checked against {@code length}; the array does not own the arena, so closing the array
   * leaves the mapping to whoever closes the arena.
   */
  static NpyArray map(FileChannel ch, long start, long length, String source, Arena arena)
      throws IOException {
    NpyHeader header = readHeader(ch, start, length, source);
    return new NpyArray(source, header, mapData(ch, start, header, arena), null);
  }

  private static MemorySegment mapData(FileChannel ch, long start, NpyHeader header, Arena arena)
      throws IOException {
    if (header.dataBytes() == 0) {
      return MemorySegment.ofArray(new byte[0]);
    }
    return ch.map(
        FileChannel.MapMode.READ_ONLY, start + header.dataOffset(), header.dataBytes(), arena);
  }

  /**
   * Reads and validates the header of a {@code .npy} image of {@code size} bytes that starts at
   * {@code start} of {@code ch}, reading at most {@link NpyHeader#MAX_HEADER_LENGTH} plus prefix
   * bytes however large the image claims to be.
   */
  static NpyHeader readHeader(FileChannel ch, long start, long size, String source)
      throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(size, NpyHeader.PREFIX_LENGTH));
    readFully(ch, prefix, start);
    int end = NpyHeader.headerEnd(prefix.flip(), source);
    if (end > size) {
      throw new NpyFormatException(
          source, "truncated header: it declares " + end + " bytes but the file holds " + size);
    }
    ByteBuffer all = ByteBuffer.allocate(end);
    readFully(ch, all, start);
    return NpyHeader.parse(all.flip(), size, source);
  }

  /** Reads until {@code dst} is full or the channel ends (then {@code dst} is left short). */
  static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
  }

  /**
   * Wraps data already in memory (for example an {@code .npz} member) as an array. The segment must
   * hold exactly {@code header.dataBytes()} bytes; {@code arena}, if not null, is closed with the
   * array.
   */
  static NpyArray wrap(String source, NpyHeader header, MemorySegment data, Arena arena)
      throws NpyFormatException {
    if (data.byteSize() != header.dataBytes()) {
      throw new NpyFormatException(
          source,
          "data holds " + data.byteSize() + " bytes, the header needs " + header.dataBytes());
    }
    return new NpyArray(source, header, data, arena);
  }

  private static long[] strides(long[] shape, boolean fortran) {
    long[] s = new long[shape.length];
    long step = 1;
    if (fortran) {
      for (int i = 0; i < shape.length; i++) {
        s[i] = step;
        step *= shape[i];
      }
    } else {
      for (int i = shape.length - 1; i >= 0; i--) {
        s[i] = step;
        step *= shape[i];
      }
    }
    return s;
  }

  // ------------------------------------------------------------------------ shape and layout

  /** File name (or description) this array came from. */
  public String source() {
    return source;
  }

  public NpyHeader header() {
    return header;
  }

  public DType dtype() {
    return header.dtype();
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public boolean isFortranOrder() {
    return header.fortranOrder();
  }

  /** Number of elements. */
  public long size() {
    return header.elementCount();
  }

  /** Length of the first axis (1 for a 0-d array). */
  public long rows() {
    return rows;
  }

  /** Elements per row: the product of every axis but the first. */
  public long rowLength() {
    return rowLength;
  }

  /** The raw data in the file's byte layout: read-only, zero-copy, valid until close. */
  public MemorySegment data() {
    return data;
  }

  /** Byte offset within {@link #data()} of the element at {@code index} (one per axis). */
  public long byteOffset(long... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index has " + index.length + " axes, the array has " + shape.length);
    }
    long flat = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + index[i] + " is out of bounds for axis " + i + " of size " + shape[i]);
      }
      flat += index[i] * strides[i];
    }
    return flat * dtype().itemSize();
  }

  // ------------------------------------------------------------------------ elements

  /** The element at {@code index} as a double; for real dtypes. */
  public double getDouble(long... index) {
    return ElementIO.readDouble(data, dtype(), byteOffset(index));
  }

  /** The element at {@code index} as a float; for real dtypes. */
  public float getFloat(long... index) {
    return ElementIO.readFloat(data, dtype(), byteOffset(index));
  }

  /** The element at {@code index} as a long; for integer and bool dtypes (uint64 as bits). */
  public long getLong(long... index) {
    return ElementIO.readLong(data, dtype(), byteOffset(index));
  }

  /** The element at {@code index} as a boolean: not zero. */
  public boolean getBoolean(long... index) {
    return getDouble(index) != 0;
  }

  /** The real part of a complex element. */
  public double getReal(long... index) {
    return ElementIO.readComplexPart(data, requireComplex(), byteOffset(index), 0);
  }

  /** The imaginary part of a complex element. */
  public double getImaginary(long... index) {
    return ElementIO.readComplexPart(data, requireComplex(), byteOffset(index), 1);
  }

  private DType requireComplex() {
    if (dtype().kind() != DType.Kind.COMPLEX) {
      throw new IllegalStateException(source + ": " + dtype().name() + " is not complex");
    }
    return dtype();
  }

  /** A {@code U} or {@code S} element without its trailing NUL padding. */
  public String getString(long... index) {
    return ElementIO.readString(data, dtype(), byteOffset(index));
  }

  // ------------------------------------------------------------------------ rows

  /**
   * Row {@code r} in the file's own byte layout, zero-copy. Only C-order arrays store rows
   * contiguously; use {@link #readRow} for Fortran order.
   */
  public MemorySegment row(long r) {
    checkRow(r);
    if (header.fortranOrder() && shape.length > 1 && rows > 1) {
      throw new IllegalStateException(
          source + ": rows of a Fortran-order array are not contiguous; use readRow");
    }
    long rowBytes = rowLength * dtype().itemSize();
    return data.asSlice(r * rowBytes, rowBytes);
  }

  /**
   * Reads row {@code r} as float32 into {@code dst} at {@code offset}, converting from any real
   * dtype and either memory order. A little-endian float32 C-order row is one bulk copy.
   */
  public void readRow(long r, float[] dst, int offset) {
    checkRow(r);
    if (rowLength > dst.length - (long) offset) {
      throw new IndexOutOfBoundsException(
          "row of " + rowLength + " floats does not fit in dst at offset " + offset);
    }
    DType t = dtype();
    if (!t.isReal()) {
      throw new IllegalStateException(
          source + ": " + t.name() + " elements cannot be read as float32");
    }
    int n = (int) rowLength;
    int size = t.itemSize();
    if (!header.fortranOrder() || shape.length < 2) {
      long base = r * rowLength * size;
      if (t.equals(DType.FLOAT32)) {
        MemorySegment.copy(data, ElementIO.FLOAT_LE, base, dst, offset, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        dst[offset + i] = ElementIO.readFloat(data, t, base + (long) i * size);
      }
      return;
    }
    // Fortran order: walk the trailing axes in C order, each with its own stride.
    long[] idx = new long[shape.length];
    idx[0] = r;
    long flat = r * strides[0];
    for (int i = 0; i < n; i++) {
      dst[offset + i] = ElementIO.readFloat(data, t, flat * size);
      for (int axis = shape.length - 1; axis >= 1; axis--) {
        idx[axis]++;
        flat += strides[axis];
        if (idx[axis] < shape[axis]) {
          break;
        }
        flat -= idx[axis] * strides[axis];
        idx[axis] = 0;
      }
    }
  }

  /** Row {@code r} as a new float32 array. */
  public float[] readRow(long r) {
    if (rowLength > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException(source + ": a row of " + rowLength + " is too long");
    }
    float[] out = new float[(int) rowLength];
    readRow(r, out, 0);
    return out;
  }

  /**
   * The byte offset within {@link #data()} of element {@code k} (in C order) of row {@code r}: the
   * general addressing used by conversions of either memory order.
   */
  long rowElementOffset(long r, long k) {
    if (!header.fortranOrder() || shape.length < 2) {
      return (r * rowLength + k) * dtype().itemSize();
    }
    long flat = r * strides[0];
    for (int axis = shape.length - 1; axis >= 1; axis--) {
      flat += (k % shape[axis]) * strides[axis];
      k /= shape[axis];
    }
    return flat * dtype().itemSize();
  }

  private void checkRow(long r) {
    if (shape.length == 0) {
      throw new IllegalStateException(source + ": a 0-d array has no rows");
    }
    if (r < 0 || r >= rows) {
      throw new IndexOutOfBoundsException(
          "row " + r + " is out of bounds for " + source + " with " + rows + " rows");
    }
  }

  /** Unmaps the data. Idempotent. */
  @Override
  public void close() {
    if (arena != null && arena.scope().isAlive()) {
      arena.close();
    }
  }

  @Override
  public String toString() {
    return "NpyArray{" + source + ", " + header + "}";
  }
}
