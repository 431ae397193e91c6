package io.npywrapper.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The header of a {@code .npy} file: dtype, memory order, shape, format version and where the data
 * starts. Parses and writes the layout exactly as numpy's {@code numpy.lib.format} does:
 *
 * <pre>
 *   "\x93NUMPY" major minor  header_len (uint16 LE for 1.0, uint32 LE for 2.0 and 3.0)
 *   {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }   Python literal dict
 *   spaces ... "\n"          padding so the data starts on a 64-byte boundary
 * </pre>
 *
 * <p>Like numpy, the writer leaves room for the first (C order) or last (Fortran order) dimension
 * to grow to 21 digits, so a streaming writer can fix the shape in place without moving the data.
 * Instances are immutable and thread-safe.
 */
public final class NpyHeader {

  /** The six magic bytes that open every {@code .npy} file. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** numpy refuses headers longer than this by default ({@code max_header_size}). */
  public static final int MAX_HEADER_LENGTH = 10_000;

  /** Alignment of the data start, as numpy writes it. */
  static final int ALIGNMENT = 64;

  /** numpy's {@code GROWTH_AXIS_MAX_DIGITS}: room reserved for the growth axis. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  /** Bytes before the header text: magic, version, header length field. */
  private static final int PREFIX_V1 = 10;

  private static final int PREFIX_V2 = 12;

  private final DType dtype;
  private final boolean fortranOrder;
  private final long[] shape;
  private final int major;
  private final int minor;
  private final long dataOffset;
  private final long elementCount;

  private NpyHeader(
      DType dtype, boolean fortranOrder, long[] shape, int major, int minor, long dataOffset) {
    this.dtype = dtype;
    this.fortranOrder = fortranOrder;
    this.shape = shape;
    this.major = major;
    this.minor = minor;
    this.dataOffset = dataOffset;
    this.elementCount = elementCount(shape);
  }

  /**
   * A header for a new array, with the lowest format version that fits, as numpy chooses it.
   *
   * @throws IllegalArgumentException for a negative dimension or a shape whose size overflows
   */
  public static NpyHeader of(DType dtype, boolean fortranOrder, long... shape) {
    Objects.requireNonNull(dtype, "dtype");
    long[] s = shape.clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] < 0) {
        throw new IllegalArgumentException("dimension " + i + " is negative: " + s[i]);
      }
    }
    try {
      checkSize(s, dtype);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "shape " + shapeString(s) + " of " + dtype + " overflows a 64-bit byte count");
    }
    int headerTextLength = paddedHeaderLength(dictText(dtype, fortranOrder, s), PREFIX_V1);
    if (headerTextLength <= 0xFFFF) {
      return new NpyHeader(dtype, fortranOrder, s, 1, 0, PREFIX_V1 + headerTextLength);
    }
    int v2 = paddedHeaderLength(dictText(dtype, fortranOrder, s), PREFIX_V2);
    return new NpyHeader(dtype, fortranOrder, s, 2, 0, PREFIX_V2 + v2);
  }

  /** The same array description written with an explicit format version (1.0, 2.0 or 3.0). */
  public NpyHeader withVersion(int newMajor) {
    if (newMajor < 1 || newMajor > 3) {
      throw new IllegalArgumentException("format version must be 1, 2 or 3, got " + newMajor);
    }
    int prefix = newMajor == 1 ? PREFIX_V1 : PREFIX_V2;
    int text = paddedHeaderLength(dictText(dtype, fortranOrder, shape), prefix);
    if (newMajor == 1 && text > 0xFFFF) {
      throw new IllegalArgumentException("header of " + text + " bytes does not fit version 1.0");
    }
    return new NpyHeader(dtype, fortranOrder, shape, newMajor, 0, prefix + text);
  }

  /** The same dtype, order and version with a different shape; the data offset is recomputed. */
  public NpyHeader withShape(long... newShape) {
    NpyHeader fresh = of(dtype, fortranOrder, newShape);
    return major == fresh.major ? fresh : fresh.withVersion(major);
  }

  // ---------------------------------------------------------------------------------- parsing

  /** Bytes needed to learn the header's total length: enough for any version's prefix. */
  public static final int PREFIX_LENGTH = PREFIX_V2;

  /**
   * Reads the total header length ({@code dataOffset}) from the first bytes of a file, checking
   * magic, version and numpy's size limit. {@code prefix} must hold at least {@link #PREFIX_LENGTH}
   * bytes, or all of a shorter file.
   */
  public static int headerEnd(ByteBuffer prefix, String source) throws NpyFormatException {
    ByteBuffer b = prefix.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int avail = b.remaining();
    int start = b.position();
    if (avail < MAGIC.length + 2) {
      throw new NpyFormatException(
          source, "truncated header: " + avail + " bytes, a .npy file starts with at least 10");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(start + i) != MAGIC[i]) {
        throw new NpyFormatException(
            source, "bad magic: expected \\x93NUMPY, found " + describeBytes(b, start, 6));
      }
    }
    int major = Byte.toUnsignedInt(b.get(start + 6));
    int minor = Byte.toUnsignedInt(b.get(start + 7));
    if ((major != 1 && major != 2 && major != 3) || minor != 0) {
      throw new NpyFormatException(
          source,
          "unknown format version " + major + "." + minor + ": supported are 1.0, 2.0 and 3.0");
    }
    int prefixLen = major == 1 ? PREFIX_V1 : PREFIX_V2;
    if (avail < prefixLen) {
      throw new NpyFormatException(
          source,
          "truncated header: version " + major + ".0 needs a " + prefixLen + "-byte prefix");
    }
    long headerLen =
        major == 1
            ? Short.toUnsignedInt(b.getShort(start + 8))
            : Integer.toUnsignedLong(b.getInt(start + 8));
    if (headerLen > MAX_HEADER_LENGTH) {
      throw new NpyFormatException(
          source,
          "header length "
              + headerLen
              + " exceeds numpy's limit of "
              + MAX_HEADER_LENGTH
              + " bytes (max_header_size)");
    }
    return (int) (prefixLen + headerLen);
  }

  /**
   * Parses a whole header and checks it against the length of the file it came from.
   *
   * @param bytes the file's first {@code headerEnd} bytes (see {@link #headerEnd})
   * @param fileSize the file's length, or -1 when the data is not there to check (e.g. a stream)
   * @param source file name or description used in error messages
   */
  public static NpyHeader parse(ByteBuffer bytes, long fileSize, String source)
      throws NpyFormatException {
    int end = headerEnd(bytes, source);
    ByteBuffer b = bytes.duplicate();
    if (b.remaining() < end) {
      throw new NpyFormatException(
          source,
          "truncated header: it declares "
              + end
              + " bytes but only "
              + b.remaining()
              + " are present");
    }
    int major = Byte.toUnsignedInt(b.get(b.position() + 6));
    int prefixLen = major == 1 ? PREFIX_V1 : PREFIX_V2;
    byte[] raw = new byte[end - prefixLen];
    b.position(b.position() + prefixLen).get(raw);
    String text =
        new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    HeaderDict dict = HeaderDict.parse(text, source, major < 3);
    DType dtype;
    try {
      dtype = DType.parse(dict.descr());
    } catch (IllegalArgumentException e) {
      throw new NpyFormatException(source, e.getMessage());
    }
    long[] shape = dict.shape();
    long bytesNeeded;
    try {
      bytesNeeded = checkSize(shape, dtype);
    } catch (ArithmeticException e) {
      throw new NpyFormatException(
          source,
          "shape " + shapeString(shape) + " of " + dtype + " overflows a 64-bit element count");
    }
    NpyHeader header = new NpyHeader(dtype, dict.fortranOrder(), shape, major, 0, end);
    if (fileSize >= 0) {
      long present = fileSize - end;
      if (present < bytesNeeded) {
        throw new NpyFormatException(
            source,
            "truncated data: shape "
                + shapeString(shape)
                + " of "
                + dtype
                + " needs "
                + bytesNeeded
                + " bytes after the header but the file holds "
                + present);
      }
      if (present > bytesNeeded) {
        throw new NpyFormatException(
            source,
            "file is longer than its shape says: shape "
                + shapeString(shape)
                + " of "
                + dtype
                + " needs "
                + bytesNeeded
                + " bytes after the header but the file holds "
                + present);
      }
    }
    return header;
  }

  // ---------------------------------------------------------------------------------- writing

  /** The header's bytes, exactly as numpy writes them; its length is {@link #dataOffset()}. */
  public byte[] encode() {
    int prefixLen = major == 1 ? PREFIX_V1 : PREFIX_V2;
    String dict = dictText(dtype, fortranOrder, shape);
    int textLen = paddedHeaderLength(dict, prefixLen);
    ByteBuffer out = ByteBuffer.allocate(prefixLen + textLen).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) minor);
    if (major == 1) {
      out.putShort((short) textLen);
    } else {
      out.putInt(textLen);
    }
    byte[] dictBytes =
        dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    out.put(dictBytes);
    while (out.position() < out.capacity() - 1) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }

  /** numpy's header dict text, including the spare room for the growth axis. */
  private static String dictText(DType dtype, boolean fortranOrder, long[] shape) {
    StringBuilder sb = new StringBuilder(96);
    sb.append("{'descr': '")
        .append(dtype.descr())
        .append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False")
        .append(", 'shape': ")
        .append(shapeString(shape))
        .append(", }");
    if (shape.length > 0) {
      long growth = shape[fortranOrder ? shape.length - 1 : 0];
      int digits = Long.toString(growth).length();
      sb.repeat(' ', Math.max(0, GROWTH_AXIS_MAX_DIGITS - digits));
    }
    return sb.toString();
  }

  /** Length of header text plus padding and newline so that prefix + it is 64-aligned. */
  private static int paddedHeaderLength(String dict, int prefixLen) {
    int hlen = dict.length() + 1; // the newline
    int padlen = ALIGNMENT - ((prefixLen + hlen) % ALIGNMENT);
    return hlen + padlen;
  }

  /**
   * Checks that {@code bytes} of data are exactly what this header's shape and dtype need.
   *
   * @param where the file (and member) named in the message
   * @throws IllegalArgumentException naming both sizes otherwise
   */
  public void checkDataSize(String where, long bytes) {
    if (bytes != dataBytes()) {
      throw new IllegalArgumentException(
          where
              + ": data holds "
              + bytes
              + " bytes, shape "
              + shapeString(shape)
              + " of "
              + dtype
              + " needs "
              + dataBytes());
    }
  }

  /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (3, 4)}. */
  public static String shapeString(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  // ---------------------------------------------------------------------------------- accessors

  public DType dtype() {
    return dtype;
  }

  /** True when the data is stored in Fortran (column-major) order. */
  public boolean fortranOrder() {
    return fortranOrder;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  /** Format version as numpy names it, e.g. {@code "1.0"}. */
  public String version() {
    return major + "." + minor;
  }

  public int majorVersion() {
    return major;
  }

  /** Offset of the first data byte in the file: the total header length. */
  public long dataOffset() {
    return dataOffset;
  }

  /** Number of elements (1 for a 0-d array). */
  public long elementCount() {
    return elementCount;
  }

  /** Bytes of data after the header. */
  public long dataBytes() {
    return elementCount * dtype.itemSize();
  }

  /** Total file length: header plus data. */
  public long fileSize() {
    return dataOffset + dataBytes();
  }

  /**
   * The data's byte count, after numpy's own size check: the item size times every non-zero
   * dimension must fit in 64 bits even when a zero dimension makes the array empty, so that row
   * lengths and strides never overflow (numpy: "array is too big").
   *
   * @throws ArithmeticException when it does not
   */
  private static long checkSize(long[] shape, DType dtype) {
    long bytes = dtype.itemSize();
    boolean empty = false;
    for (long d : shape) {
      if (d == 0) {
        empty = true;
      } else {
        bytes = Math.multiplyExact(bytes, d);
      }
    }
    return empty ? 0 : bytes;
  }

  private static long elementCount(long[] shape) {
    try {
      return elementCountExact(shape);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + shapeString(shape) + " overflows");
    }
  }

  private static long elementCountExact(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static String describeBytes(ByteBuffer b, int start, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n && start + i < b.limit(); i++) {
      int v = Byte.toUnsignedInt(b.get(start + i));
      if (v >= 0x20 && v < 0x7f && v != '\\') {
        sb.append((char) v);
      } else {
        sb.append(String.format("\\x%02x", v));
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyHeader h
        && h.dtype.equals(dtype)
        && h.fortranOrder == fortranOrder
        && Arrays.equals(h.shape, shape)
        && h.major == major
        && h.minor == minor
        && h.dataOffset == dataOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, fortranOrder, Arrays.hashCode(shape), major, dataOffset);
  }

  @Override
  public String toString() {
    return "NpyHeader{descr="
        + dtype.descr()
        + ", fortran_order="
        + fortranOrder
        + ", shape="
        + shapeString(shape)
        + ", version="
        + version()
        + ", dataOffset="
        + dataOffset
        + "}";
  }
}
