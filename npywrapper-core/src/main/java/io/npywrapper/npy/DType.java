package io.npywrapper.npy;

import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;

/**
 * A numpy data type that the codec supports: bool, signed and unsigned integers of 1 to 8 bytes,
 * float16/32/64, complex64/128, fixed-width unicode ({@code <Un}, UTF-32 code points) and
 * fixed-width bytes ({@code Sn}), each with a byte order.
 *
 * <p>{@link #descr()} gives the exact {@code descr} string numpy writes in a header ({@code
 * dtype.str}), e.g. {@code <f4}, {@code |b1}, {@code >i8}, {@code <U10}, {@code |S5}. Values are
 * immutable and thread-safe.
 */
public final class DType {

  /** The numpy kind character of a type. */
  public enum Kind {
    BOOL('b'),
    INT('i'),
    UINT('u'),
    FLOAT('f'),
    COMPLEX('c'),
    UNICODE('U'),
    BYTES('S');

    private final char code;

    Kind(char code) {
      this.code = code;
    }

    /** The character numpy uses for this kind in a {@code descr} string. */
    public char code() {
      return code;
    }
  }

  /** Longest fixed-width string we accept, in characters; keeps item sizes well inside int. */
  public static final int MAX_STRING_LENGTH = 1 << 28;

  public static final DType BOOL = new DType(Kind.BOOL, 1, ByteOrder.LITTLE_ENDIAN);
  public static final DType INT8 = new DType(Kind.INT, 1, ByteOrder.LITTLE_ENDIAN);
  public static final DType INT16 = new DType(Kind.INT, 2, ByteOrder.LITTLE_ENDIAN);
  public static final DType INT32 = new DType(Kind.INT, 4, ByteOrder.LITTLE_ENDIAN);
  public static final DType INT64 = new DType(Kind.INT, 8, ByteOrder.LITTLE_ENDIAN);
  public static final DType UINT8 = new DType(Kind.UINT, 1, ByteOrder.LITTLE_ENDIAN);
  public static final DType UINT16 = new DType(Kind.UINT, 2, ByteOrder.LITTLE_ENDIAN);
  public static final DType UINT32 = new DType(Kind.UINT, 4, ByteOrder.LITTLE_ENDIAN);
  public static final DType UINT64 = new DType(Kind.UINT, 8, ByteOrder.LITTLE_ENDIAN);
  public static final DType FLOAT16 = new DType(Kind.FLOAT, 2, ByteOrder.LITTLE_ENDIAN);
  public static final DType FLOAT32 = new DType(Kind.FLOAT, 4, ByteOrder.LITTLE_ENDIAN);
  public static final DType FLOAT64 = new DType(Kind.FLOAT, 8, ByteOrder.LITTLE_ENDIAN);
  public static final DType COMPLEX64 = new DType(Kind.COMPLEX, 8, ByteOrder.LITTLE_ENDIAN);
  public static final DType COMPLEX128 = new DType(Kind.COMPLEX, 16, ByteOrder.LITTLE_ENDIAN);

  private final Kind kind;
  private final int itemSize;
  private final ByteOrder order;

  private DType(Kind kind, int itemSize, ByteOrder order) {
    this.kind = kind;
    this.itemSize = itemSize;
    // Single-byte numbers and byte strings have no byte order; numpy writes '|' for them.
    this.order = hasByteOrder(kind, itemSize) ? order : ByteOrder.LITTLE_ENDIAN;
  }

  private static boolean hasByteOrder(Kind kind, int itemSize) {
    return kind == Kind.UNICODE || (kind != Kind.BYTES && itemSize > 1);
  }

  /** A fixed-width unicode type of {@code length} characters ({@code <U length}). */
  public static DType unicode(int length, ByteOrder order) {
    checkStringLength(length);
    return new DType(Kind.UNICODE, length * 4, order);
  }

  /** A fixed-width byte-string type of {@code length} bytes ({@code |S length}). */
  public static DType bytes(int length) {
    checkStringLength(length);
    return new DType(Kind.BYTES, length, ByteOrder.LITTLE_ENDIAN);
  }

  private static void checkStringLength(int length) {
    if (length < 1 || length > MAX_STRING_LENGTH) {
      throw new IllegalArgumentException(
          "string length must be between 1 and " + MAX_STRING_LENGTH + ", got " + length);
    }
  }

  /**
   * Parses a numpy {@code descr} string such as {@code <f4}, {@code |b1}, {@code >u2}, {@code =i8},
   * {@code <U12} or {@code |S3}. The byte-order character may be omitted (native order).
   *
   * @throws IllegalArgumentException naming what was expected when the string is not a supported
   *     simple dtype
   */
  public static DType parse(String descr) {
    Objects.requireNonNull(descr, "descr");
    if (descr.isEmpty()) {
      throw new IllegalArgumentException("empty dtype descr");
    }
    int pos = 0;
    ByteOrder order = ByteOrder.nativeOrder();
    char first = descr.charAt(0);
    switch (first) {
      case '<' -> {
        order = ByteOrder.LITTLE_ENDIAN;
        pos = 1;
      }
      case '>' -> {
        order = ByteOrder.BIG_ENDIAN;
        pos = 1;
      }
      case '|', '=' -> pos = 1;
      default -> {}
    }
    if (pos >= descr.length()) {
      throw new IllegalArgumentException("dtype descr '" + descr + "' has no type code");
    }
    char code = descr.charAt(pos);
    // Unsupported kinds first: numpy writes them without a plain size ('|O', '<M8[s]')
    switch (code) {
      case 'O' ->
          throw new IllegalArgumentException(
              "object arrays ('" + descr + "') are not supported: they need pickle");
      case 'V' ->
          throw new IllegalArgumentException(
              "void/structured dtype '" + descr + "' is not supported");
      case 'M', 'm' ->
          throw new IllegalArgumentException(
              "datetime dtype '" + descr + "' is not supported; store it as int64");
      default -> {}
    }
    String digits = descr.substring(pos + 1);
    if (code == '?' && digits.isEmpty()) {
      return BOOL;
    }
    int size = parseSize(descr, digits);
    return switch (code) {
      case 'b' -> fixed(descr, Kind.BOOL, size, order, 1);
      case 'i' -> fixed(descr, Kind.INT, size, order, 1, 2, 4, 8);
      case 'u' -> fixed(descr, Kind.UINT, size, order, 1, 2, 4, 8);
      case 'f' -> fixed(descr, Kind.FLOAT, size, order, 2, 4, 8);
      case 'c' -> fixed(descr, Kind.COMPLEX, size, order, 8, 16);
      case 'U' -> stringType(descr, Kind.UNICODE, size, order);
      case 'S', 'a' -> stringType(descr, Kind.BYTES, size, order);
      default ->
          throw new IllegalArgumentException(
              "unknown dtype descr '"
                  + descr
                  + "': expected one of b1, i1-i8, u1-u8, f2/f4/f8,"
                  + " c8/c16, U<n>, S<n> with an optional <, >, | or = byte order");
    };
  }

  private static int parseSize(String descr, String digits) {
    // ASCII digits only: Character.isDigit (and Long.parseLong) also take other scripts' digits
    if (digits.isEmpty()
        || digits.length() > 10
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "dtype descr '" + descr + "' needs an item size in digits after its type code");
    }
    long size = Long.parseLong(digits);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("dtype descr '" + descr + "' has an item size too large");
    }
    return (int) size;
  }

  private static DType fixed(String descr, Kind kind, int size, ByteOrder order, int... allowed) {
    for (int a : allowed) {
      if (a == size) {
        return new DType(kind, size, order);
      }
    }
    throw new IllegalArgumentException(
        "dtype descr '" + descr + "' has an unsupported item size " + size + " for its kind");
  }

  private static DType stringType(String descr, Kind kind, int length, ByteOrder order) {
    if (length < 1 || length > MAX_STRING_LENGTH) {
      throw new IllegalArgumentException(
          "dtype descr '"
              + descr
              + "' has string length "
              + length
              + ", expected 1 to "
              + MAX_STRING_LENGTH);
    }
    return kind == Kind.UNICODE ? unicode(length, order) : bytes(length);
  }

  /**
   * Parses a dtype given by a user: a numpy name ({@code float32}, {@code int64}, {@code bool},
   * {@code complex64}, ...) or a {@code descr} string.
   */
  public static DType fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "bool" -> BOOL;
      case "int8" -> INT8;
      case "int16" -> INT16;
      case "int32" -> INT32;
      case "int64" -> INT64;
      case "uint8" -> UINT8;
      case "uint16" -> UINT16;
      case "uint32" -> UINT32;
      case "uint64" -> UINT64;
      case "float16", "half" -> FLOAT16;
      case "float32", "single" -> FLOAT32;
      case "float64", "double" -> FLOAT64;
      case "complex64" -> COMPLEX64;
      case "complex128" -> COMPLEX128;
      default -> parse(name.trim());
    };
  }

  public Kind kind() {
    return kind;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** Byte order of multi-byte elements; little-endian for types that have none. */
  public ByteOrder order() {
    return order;
  }

  /** Characters per element for {@code U} and {@code S} types, otherwise 0. */
  public int stringLength() {
    return switch (kind) {
      case UNICODE -> itemSize / 4;
      case BYTES -> itemSize;
      default -> 0;
    };
  }

  /** True for bool, integer and float types: the ones readable as float32. */
  public boolean isReal() {
    return kind == Kind.BOOL || kind == Kind.INT || kind == Kind.UINT || kind == Kind.FLOAT;
  }

  /** True for numbers of any kind, complex included. */
  public boolean isNumeric() {
    return isReal() || kind == Kind.COMPLEX;
  }

  /** The same type with the given byte order (unchanged for types without byte order). */
  public DType withOrder(ByteOrder newOrder) {
    return newOrder.equals(order) || !hasByteOrder(kind, itemSize)
        ? this
        : new DType(kind, itemSize, newOrder);
  }

  /** The descr string numpy writes for this type, e.g. {@code <f4} or {@code |S5}. */
  public String descr() {
    char orderChar =
        !hasByteOrder(kind, itemSize) ? '|' : order == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
    int size = kind == Kind.UNICODE ? itemSize / 4 : itemSize;
    return "" + orderChar + kind.code + size;
  }

  /** numpy's name of this type, e.g. {@code float32}, {@code bool}, {@code str320}. */
  public String name() {
    return switch (kind) {
      case BOOL -> "bool";
      case INT -> "int" + itemSize * 8;
      case UINT -> "uint" + itemSize * 8;
      case FLOAT -> "float" + itemSize * 8;
      case COMPLEX -> "complex" + itemSize * 8;
      case UNICODE -> "str" + itemSize * 8;
      case BYTES -> "bytes" + itemSize * 8;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DType d && d.kind == kind && d.itemSize == itemSize && d.order == order;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, itemSize, order);
  }

  @Override
  public String toString() {
    return descr();
  }
}
