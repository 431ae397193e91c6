package io.npywrapper.npy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a C-order {@code .npy} file of unknown length by appending rows of a fixed trailing shape,
 * in one pass with no second copy of the data. The header's shape is fixed on {@link #finish()};
 * numpy's spare header room for the first axis keeps the data offset constant.
 *
 * <p>Safety: rows go to a temporary file beside the target whose first bytes are zero, so it never
 * parses as an array; {@link #finish()} writes the real header, fsyncs and publishes the file
 * atomically. {@link #close()} without {@code finish()} (an exception in the caller's
 * try-with-resources block, for example) discards everything: an interrupted write never leaves a
 * file that parses as a valid array with wrong contents.
 *
 * <p>Not thread-safe: one thread appends.
 */
public final class NpyStreamWriter implements AutoCloseable {
  private static final int BUFFER_BYTES = 4 << 20;

  /**
   * Appends of off-heap data at least this large go straight to the file: copying them into the
   * buffer first costs more (a second pass over the data) than the system call it would save.
   */
  static final int DIRECT_APPEND_BYTES = 256 << 10;

  private final AtomicOutput out;
  private final DType dtype;
  private final long[] rowShape;
  private final long rowLength;
  private final long rowBytes;
  private final long dataOffset;
  private final ByteBuffer buffer;
  private final MemorySegment bufferSeg;
  private long rows;
  private long position;
  private boolean finished;
  private boolean failed;

  private NpyStreamWriter(AtomicOutput out, DType dtype, long[] rowShape) throws IOException {
    this.out = out;
    this.dtype = dtype;
    this.rowShape = rowShape;
    long len = 1;
    for (long d : rowShape) {
      len = Math.multiplyExact(len, d);
    }
    this.rowLength = len;
    this.rowBytes = Math.multiplyExact(len, (long) dtype.itemSize());
    this.dataOffset = header(0).dataOffset();
    this.buffer =
        ByteBuffer.allocateDirect((int) Math.max(BUFFER_BYTES, Math.min(rowBytes, 1 << 30)));
    this.bufferSeg = MemorySegment.ofBuffer(buffer);
    // A zeroed placeholder where the header goes: the temp file never looks like an array.
    NpyWriter.writeFully(out.channel(), ByteBuffer.allocate((int) dataOffset));
    this.position = dataOffset;
  }

  /**
   * Starts a new file of rows with trailing shape {@code rowShape} (empty for a 1-d array). Fails
   * before writing when the target exists and overwrite is off.
   */
  public static NpyStreamWriter create(
      Path target, DType dtype, long[] rowShape, WriteOptions options) throws IOException {
    Objects.requireNonNull(dtype, "dtype");
    for (long d : rowShape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "row shape " + Arrays.toString(rowShape) + " is negative");
      }
    }
    NpyHeader.of(dtype, false, prepend(0, rowShape)); // validates before creating anything
    AtomicOutput out = AtomicOutput.create(target, options);
    try {
      return new NpyStreamWriter(out, dtype, rowShape.clone());
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /** A float32 matrix writer: rows of {@code dim} floats. */
  public static NpyStreamWriter createFloat32(Path target, int dim, WriteOptions options)
      throws IOException {
    return create(target, DType.FLOAT32, new long[] {dim}, options);
  }

  private static long[] prepend(long first, long[] rest) {
    long[] s = new long[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }

  private NpyHeader header(long rowCount) {
    return NpyHeader.of(dtype, false, prepend(rowCount, rowShape));
  }

  /** Elements per row. */
  public long rowLength() {
    return rowLength;
  }

  /** Rows appended so far. */
  public long rows() {
    return rows;
  }

  public DType dtype() {
    return dtype;
  }

  /**
   * Appends whole rows given in this writer's byte layout (dtype and byte order). Off-heap segments
   * of {@value #DIRECT_APPEND_BYTES} bytes or more, and any segment at least as large as the
   * buffer, are written without an intermediate copy; smaller ones are gathered in the buffer.
   */
  public void append(MemorySegment rowData) throws IOException {
    checkOpen();
    long n = rowData.byteSize();
    if (rowBytes == 0 ? n != 0 : n % rowBytes != 0) {
      throw new IllegalArgumentException(
          "appended " + n + " bytes, not a whole number of " + rowBytes + "-byte rows");
    }
    long newRows = rowBytes == 0 ? rows : rows + n / rowBytes;
    checkGrowth(newRows);
    try {
      if (n >= buffer.capacity() || (n >= DIRECT_APPEND_BYTES && rowData.isNative())) {
        flushBuffer();
        FileChannel ch = out.channel();
        ch.position(position);
        NpyWriter.writeSegment(ch, rowData);
        position += n;
      } else {
        if (n > buffer.remaining()) {
          flushBuffer();
        }
        MemorySegment.copy(rowData, 0, bufferSeg, buffer.position(), n);
        buffer.position(buffer.position() + (int) n);
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
    rows = newRows;
  }

  /** Appends one row of numbers, cast to this writer's dtype as numpy's astype would. */
  public void appendRow(float[] row) throws IOException {
    checkRowLength(row.length);
    ensureRoom();
    int at = buffer.position();
    int size = dtype.itemSize();
    if (dtype.equals(DType.FLOAT32)) {
      MemorySegment.copy(row, 0, bufferSeg, ElementIO.FLOAT_LE, at, row.length);
    } else {
      for (int i = 0; i < row.length; i++) {
        ElementIO.writeDouble(bufferSeg, dtype, at + (long) i * size, row[i]);
      }
    }
    buffer.position(at + (int) rowBytes);
    rows++;
  }

  /** Appends one row of numbers, cast to this writer's dtype. */
  public void appendRow(double[] row) throws IOException {
    checkRowLength(row.length);
    ensureRoom();
    int at = buffer.position();
    for (int i = 0; i < row.length; i++) {
      ElementIO.writeDouble(bufferSeg, dtype, at + (long) i * dtype.itemSize(), row[i]);
    }
    buffer.position(at + (int) rowBytes);
    rows++;
  }

  /** Appends one row of integers, cast to this writer's dtype. */
  public void appendRow(long[] row) throws IOException {
    checkRowLength(row.length);
    ensureRoom();
    int at = buffer.position();
    for (int i = 0; i < row.length; i++) {
      ElementIO.writeLong(bufferSeg, dtype, at + (long) i * dtype.itemSize(), row[i]);
    }
    buffer.position(at + (int) rowBytes);
    rows++;
  }

  /**
   * Appends row {@code r} of {@code src}, cast element by element from its dtype and memory order
   * to this writer's dtype; a row of the same dtype in C order is copied as bytes.
   */
  public void appendRow(NpyArray src, long r) throws IOException {
    checkRowLength(src.rowLength());
    ElementIO.checkConvertible(src.dtype(), dtype);
    // the byte copy needs bytes: an empty row (a zero in the row shape) has none to count
    if (rowBytes > 0 && src.dtype().equals(dtype) && (!src.isFortranOrder() || src.rank() < 2)) {
      append(src.row(r));
      return;
    }
    ensureRoom();
    int at = buffer.position();
    MemorySegment data = src.data();
    DType st = src.dtype();
    for (long k = 0; k < rowLength; k++) {
      ElementIO.convert(
          data, st, src.rowElementOffset(r, k), bufferSeg, dtype, at + k * dtype.itemSize());
    }
    buffer.position(at + (int) rowBytes);
    rows++;
  }

  private void checkRowLength(long length) {
    checkOpen();
    if (length != rowLength) {
      throw new IllegalArgumentException(
          "row has "
              + length
              + " elements, expected "
              + rowLength
              + " (row shape "
              + NpyHeader.shapeString(rowShape)
              + ")");
    }
  }

  private void ensureRoom() throws IOException {
    checkGrowth(rows + 1);
    if (rowBytes > buffer.remaining()) {
      flushBuffer();
    }
  }

  private void checkGrowth(long newRows) {
    try {
      Math.multiplyExact(newRows, rowBytes);
    } catch (ArithmeticException e) {
      throw new IllegalStateException("the array would exceed 2^63 bytes");
    }
  }

  private void flushBuffer() throws IOException {
    if (buffer.position() == 0) {
      return;
    }
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        position += out.channel().write(buffer, position);
      }
    } catch (IOException e) {
      failed = true;
      throw e;
    } finally {
      buffer.clear();
    }
  }

  private void checkOpen() {
    if (finished || failed || !out.channel().isOpen()) {
      throw new IllegalStateException(
          "writer for " + out.target() + " is " + (failed ? "failed" : "closed"));
    }
  }

  /**
   * Writes the final header, forces the file to disk and publishes it under its target name.
   * Returns the header written.
   */
  public NpyHeader finish() throws IOException {
    checkOpen();
    try {
      flushBuffer();
      NpyHeader h = header(rows);
      if (h.dataOffset() != dataOffset) {
        throw new IllegalStateException("header length changed; cannot happen below 10^21 rows");
      }
      ByteBuffer hb = ByteBuffer.wrap(h.encode());
      long p = 0;
      while (hb.hasRemaining()) {
        p += out.channel().write(hb, p);
      }
      out.publish();
      finished = true;
      return h;
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** Discards the file unless {@link #finish()} published it. Idempotent. */
  @Override
  public void close() throws IOException {
    out.close();
  }
}
