package io.npywrapper.npy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a numpy {@code .npz} archive that {@code np.load} reads: each array becomes a member
 * {@code <name>.npy}, stored as {@code np.savez} does or deflated as {@code np.savez_compressed}
 * does. Members stream from their {@link MemorySegment} through bounded buffers, with the CRC-32
 * computed on the way; every member's local header carries ZIP64 sizes (as numpy's {@code
 * force_zip64} does) so members and archives may exceed 4 GiB. The data of stored members starts on
 * a 64-byte boundary of the file (padding in an extra field, as Android's zipalign does), so mapped
 * arrays are aligned. Timestamps are numpy's fixed 1980-01-01, so equal arrays give equal bytes.
 *
 * <p>The archive is written under a temporary name and published atomically by {@link #finish()}:
 * {@link #close()} without {@code finish()} discards it, and a failed write leaves nothing behind.
 *
 * <p>Not thread-safe: one thread adds members.
 */
public final class NpzWriter implements AutoCloseable {

  /** How members are written. */
  public enum Compression {
    /** Uncompressed, as {@code np.savez}: readers can map members in place. */
    STORED,
    /** Deflated, as {@code np.savez_compressed}. */
    DEFLATED
  }

  private static final int CHUNK = 1 << 20;
  private static final int VERSION = 45; // 4.5: ZIP64
  private static final int MADE_BY = (3 << 8) | VERSION; // Unix, as Python's zipfile writes
  private static final int DOS_DATE_1980_01_01 = (1 << 5) | 1;
  private static final int EXTERNAL_ATTRIBUTES = 0600 << 16; // -rw-------, as numpy writes
  private static final int ALIGNMENT = 64;
  private static final int ALIGNMENT_EXTRA_ID = 0xd935;
  private static final int ZIP64_LOCAL_EXTRA_LENGTH = 20;

  /** Python's zipfile switches to ZIP64 fields above 2^31 - 1; we do the same. */
  private static final long ZIP64_LIMIT = Integer.MAX_VALUE;

  private static final int MAX_NAME_BYTES = 0xFFFF - 4;

  private final AtomicOutput out;
  private final FileChannel ch;
  private final Compression compression;
  private final boolean forceZip64;
  private final List<Member> members = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
  private final MemorySegment bufferSeg = MemorySegment.ofBuffer(buffer);
  private final ByteBuffer deflated;
  private long position;
  private boolean finished;
  private boolean failed;

  /** What the central directory records about a written member. */
  private record Member(byte[] name, long crc, long compressedSize, long size, long headerOffset) {}

  private NpzWriter(AtomicOutput out, Compression compression, boolean forceZip64) {
    this.out = out;
    this.ch = out.channel();
    this.compression = compression;
    this.forceZip64 = forceZip64;
    this.deflated = compression == Compression.DEFLATED ? ByteBuffer.allocateDirect(CHUNK) : null;
  }

  /**
   * Starts an archive at {@code target}. Fails before writing anything when the target exists and
   * overwrite is off.
   */
  public static NpzWriter create(Path target, Compression compression, WriteOptions options)
      throws IOException {
    return create(target, compression, options, false);
  }

  /** As {@link #create}; {@code forceZip64} writes ZIP64 records even when not needed (tests). */
  static NpzWriter create(
      Path target, Compression compression, WriteOptions options, boolean forceZip64)
      throws IOException {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(options, "options");
    return new NpzWriter(AtomicOutput.create(target, options), compression, forceZip64);
  }

  /** The compression of every member. */
  public Compression compression() {
    return compression;
  }

  /**
   * Adds the array {@code name} (member {@code name.npy}) whose {@code data} is already in the
   * header's dtype, byte order and memory order.
   *
   * @throws IllegalArgumentException before writing anything when the name is empty, contains
   *     {@code '/'} or NUL, was added before, or the data's size does not match the header
   */
  public void add(String name, NpyHeader header, MemorySegment data) throws IOException {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(data, "data");
    checkOpen();
    byte[] nameBytes = checkName(name);
    header.checkDataSize(out.target() + ", array '" + name + "'", data.byteSize());
    try {
      writeMember(nameBytes, header, data);
      names.add(name);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** Adds an array read elsewhere (for example from another archive), as it is. */
  public void add(String name, NpyArray array) throws IOException {
    add(name, array.header(), array.data());
  }

  /** Adds float32 values in C order with the given shape. */
  public void add(String name, float[] values, long... shape) throws IOException {
    MemorySegment seg =
        littleEndian(
            values.length * 4L, MemorySegment.ofArray(values), ValueLayout.JAVA_FLOAT_UNALIGNED);
    add(name, NpyHeader.of(DType.FLOAT32, false, shape), seg);
  }

  /** Adds int64 values in C order with the given shape. */
  public void add(String name, long[] values, long... shape) throws IOException {
    MemorySegment seg =
        littleEndian(
            values.length * 8L, MemorySegment.ofArray(values), ValueLayout.JAVA_LONG_UNALIGNED);
    add(name, NpyHeader.of(DType.INT64, false, shape), seg);
  }

  /**
   * The values as little-endian bytes: the array itself on little-endian platforms, else a copy.
   */
  private static MemorySegment littleEndian(long bytes, MemorySegment values, ValueLayout layout) {
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      return values;
    }
    MemorySegment le = MemorySegment.ofArray(new byte[Math.toIntExact(bytes)]);
    long n = bytes / layout.byteSize();
    MemorySegment.copy(values, layout, 0, le, layout.withOrder(ByteOrder.LITTLE_ENDIAN), 0, n);
    return le;
  }

  private byte[] checkName(String name) {
    Objects.requireNonNull(name, "name");
    String problem = null;
    if (name.isEmpty()) {
      problem = "is empty";
    } else if (name.indexOf('/') >= 0) {
      problem = "contains '/'; numpy would read it as a path inside the archive";
    } else if (name.indexOf('\0') >= 0) {
      problem = "contains a NUL character";
    } else if (names.contains(name)) {
      problem = "was already added";
    }
    byte[] bytes = (name + ".npy").getBytes(StandardCharsets.UTF_8);
    if (problem == null && bytes.length > MAX_NAME_BYTES) {
      problem = "is longer than a ZIP entry name may be (" + bytes.length + " bytes)";
    }
    if (problem != null) {
      throw new IllegalArgumentException(out.target() + ": array name '" + name + "' " + problem);
    }
    return bytes;
  }

  // ------------------------------------------------------------------------ members

  private void writeMember(byte[] name, NpyHeader header, MemorySegment data) throws IOException {
    long headerOffset = position;
    int fixedLength = ZipDirectory.LOCAL_HEADER_LENGTH + name.length + ZIP64_LOCAL_EXTRA_LENGTH;
    int padding = 0;
    if (compression == Compression.STORED) {
      // The npy header's length is a multiple of 64, so aligning the member aligns its data.
      int misalignment = (int) ((headerOffset + fixedLength) % ALIGNMENT);
      if (misalignment != 0) {
        padding = ALIGNMENT - misalignment;
        if (padding < 6) {
          padding += ALIGNMENT; // room for the extra field's own 4-byte header and 2-byte value
        }
      }
    }
    ByteBuffer local = le(fixedLength + padding);
    local
        .putInt(ZipDirectory.LOCAL_HEADER_SIG)
        .putShort((short) VERSION)
        .putShort((short) flags(name))
        .putShort((short) method())
        .putShort((short) 0) // time 00:00:00
        .putShort((short) DOS_DATE_1980_01_01)
        .putInt(0) // CRC-32, patched below
        .putInt((int) ZipDirectory.U32_SENTINEL)
        .putInt((int) ZipDirectory.U32_SENTINEL)
        .putShort((short) name.length)
        .putShort((short) (ZIP64_LOCAL_EXTRA_LENGTH + padding))
        .put(name)
        .putShort((short) ZipDirectory.ZIP64_EXTRA_ID)
        .putShort((short) 16)
        .putLong(0) // size, patched below
        .putLong(0); // compressed size, patched below
    if (padding > 0) {
      local.putShort((short) ALIGNMENT_EXTRA_ID).putShort((short) (padding - 4));
      local.putShort((short) ALIGNMENT);
      // the rest of the padding stays zero
    }
    write(local.clear());

    MemberSink sink = new MemberSink();
    try {
      sink.write(ByteBuffer.wrap(header.encode()));
      writeData(sink, data);
      sink.finish();
    } finally {
      sink.end();
    }
    int sizesAt = ZipDirectory.LOCAL_HEADER_LENGTH + name.length + 4;
    patch(le(4).putInt((int) sink.crc.getValue()).flip(), headerOffset + 14);
    patch(le(16).putLong(sink.size).putLong(sink.compressed).flip(), headerOffset + sizesAt);
    members.add(new Member(name, sink.crc.getValue(), sink.compressed, sink.size, headerOffset));
  }

  /**
   * Feeds a segment to the sink in chunks: views of native and {@code byte[]} segments, copies
   * through the writer's direct buffer for other heap segments.
   */
  private void writeData(MemberSink sink, MemorySegment data) throws IOException {
    long n = data.byteSize();
    boolean viewable = data.heapBase().map(base -> base instanceof byte[]).orElse(true);
    for (long off = 0; off < n; off += CHUNK) {
      MemorySegment chunk = data.asSlice(off, Math.min(CHUNK, n - off));
      if (viewable) {
        sink.write(chunk.asByteBuffer());
      } else {
        MemorySegment.copy(chunk, 0, bufferSeg, 0, chunk.byteSize());
        sink.write(buffer.clear().limit((int) chunk.byteSize()));
      }
    }
  }

  /** Takes a member's uncompressed bytes: counts them, checksums them, compresses and writes. */
  private final class MemberSink {
    final CRC32 crc = new CRC32();
    final Deflater deflater =
        compression == Compression.DEFLATED
            ? new Deflater(Deflater.DEFAULT_COMPRESSION, true)
            : null;
    long size;
    long compressed;

    void write(ByteBuffer src) throws IOException {
      size += src.remaining();
      crc.update(src.duplicate());
      if (deflater == null) {
        compressed += src.remaining();
        NpzWriter.this.write(src);
        return;
      }
      deflater.setInput(src);
      while (!deflater.needsInput()) {
        drain();
      }
    }

    void finish() throws IOException {
      if (deflater != null) {
        deflater.finish();
        while (!deflater.finished()) {
          drain();
        }
      }
    }

    /** Frees the deflater's native memory. */
    void end() {
      if (deflater != null) {
        deflater.end();
      }
    }

    private void drain() throws IOException {
      deflated.clear();
      int n = deflater.deflate(deflated);
      compressed += n;
      NpzWriter.this.write(deflated.flip());
    }
  }

  // ------------------------------------------------------------------------ directory

  /** Writes the central directory and end records and publishes the archive atomically. */
  public void finish() throws IOException {
    checkOpen();
    try {
      long cdOffset = position;
      for (Member m : members) {
        writeCentral(m);
      }
      long cdSize = position - cdOffset;
      long count = members.size();
      boolean zip64 =
          forceZip64 || count > 0xFFFF || cdOffset > ZIP64_LIMIT || cdSize > ZIP64_LIMIT;
      if (zip64) {
        long recordOffset = position;
        write(
            le(ZipDirectory.ZIP64_END_LENGTH + ZipDirectory.ZIP64_LOCATOR_LENGTH)
                .putInt(ZipDirectory.ZIP64_END_SIG)
                .putLong(ZipDirectory.ZIP64_END_LENGTH - 12) // size of the rest of the record
                .putShort((short) MADE_BY)
                .putShort((short) VERSION)
                .putInt(0) // this disk
                .putInt(0) // disk of the central directory
                .putLong(count)
                .putLong(count)
                .putLong(cdSize)
                .putLong(cdOffset)
                .putInt(ZipDirectory.ZIP64_LOCATOR_SIG)
                .putInt(0) // disk of the ZIP64 end record
                .putLong(recordOffset)
                .putInt(1) // disks in total
                .flip());
      }
      boolean sentinels = forceZip64;
      write(
          le(ZipDirectory.END_LENGTH)
              .putInt(ZipDirectory.END_SIG)
              .putShort((short) 0)
              .putShort((short) 0)
              .putShort((short) (sentinels ? 0xFFFF : Math.min(count, 0xFFFF)))
              .putShort((short) (sentinels ? 0xFFFF : Math.min(count, 0xFFFF)))
              .putInt((int) (sentinels ? -1 : Math.min(cdSize, ZipDirectory.U32_SENTINEL)))
              .putInt((int) (sentinels ? -1 : Math.min(cdOffset, ZipDirectory.U32_SENTINEL)))
              .putShort((short) 0) // comment length
              .flip());
      out.publish();
      finished = true;
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void writeCentral(Member m) throws IOException {
    boolean bigSize = forceZip64 || m.size > ZIP64_LIMIT;
    boolean bigCompressed = forceZip64 || m.compressedSize > ZIP64_LIMIT;
    boolean bigOffset = forceZip64 || m.headerOffset > ZIP64_LIMIT;
    int zip64Fields = (bigSize ? 1 : 0) + (bigCompressed ? 1 : 0) + (bigOffset ? 1 : 0);
    int extraLength = zip64Fields == 0 ? 0 : 4 + 8 * zip64Fields;
    ByteBuffer b = le(ZipDirectory.CENTRAL_HEADER_LENGTH + m.name.length + extraLength);
    b.putInt(ZipDirectory.CENTRAL_HEADER_SIG)
        .putShort((short) MADE_BY)
        .putShort((short) VERSION)
        .putShort((short) flags(m.name))
        .putShort((short) method())
        .putShort((short) 0)
        .putShort((short) DOS_DATE_1980_01_01)
        .putInt((int) m.crc)
        .putInt((int) (bigCompressed ? ZipDirectory.U32_SENTINEL : m.compressedSize))
        .putInt((int) (bigSize ? ZipDirectory.U32_SENTINEL : m.size))
        .putShort((short) m.name.length)
        .putShort((short) extraLength)
        .putShort((short) 0) // comment length
        .putShort((short) 0) // disk number start
        .putShort((short) 0) // internal attributes
        .putInt(EXTERNAL_ATTRIBUTES)
        .putInt((int) (bigOffset ? ZipDirectory.U32_SENTINEL : m.headerOffset))
        .put(m.name);
    if (zip64Fields > 0) {
      b.putShort((short) ZipDirectory.ZIP64_EXTRA_ID).putShort((short) (8 * zip64Fields));
      if (bigSize) {
        b.putLong(m.size);
      }
      if (bigCompressed) {
        b.putLong(m.compressedSize);
      }
      if (bigOffset) {
        b.putLong(m.headerOffset);
      }
    }
    write(b.flip());
  }

  // ------------------------------------------------------------------------ bytes

  private int method() {
    return compression == Compression.STORED
        ? ZipDirectory.METHOD_STORED
        : ZipDirectory.METHOD_DEFLATED;
  }

  private static int flags(byte[] name) {
    for (byte b : name) {
      if (b < 0) {
        return ZipDirectory.FLAG_UTF8;
      }
    }
    return 0;
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void write(ByteBuffer b) throws IOException {
    position += b.remaining();
    NpyWriter.writeFully(ch, b);
  }

  /** Overwrites bytes already written, at {@code at}, without moving the write position. */
  private void patch(ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      at += ch.write(b, at);
    }
  }

  private void checkOpen() {
    if (finished || failed) {
      throw new IllegalStateException(
          "writer for " + out.target() + " is " + (failed ? "failed" : "finished"));
    }
  }

  /** Discards the archive unless {@link #finish()} published it. Idempotent. */
  @Override
  public void close() throws IOException {
    out.close();
  }
}
