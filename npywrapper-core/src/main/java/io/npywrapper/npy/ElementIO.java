package io.npywrapper.npy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes single elements of any supported {@link DType} at a byte offset of a memory
 * segment, and converts elements between types the way numpy's {@code astype} casts them (integers
 * wrap, floats to integers truncate toward zero, anything to bool is "not zero"). Stateless and
 * thread-safe.
 */
final class ElementIO {
  private static final ValueLayout.OfShort SHORT_LE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort SHORT_BE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt INT_LE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT_BE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong LONG_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG_BE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT_BE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfDouble DOUBLE_LE =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble DOUBLE_BE =
      ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private ElementIO() {}

  private static boolean le(DType t) {
    return t.order() == ByteOrder.LITTLE_ENDIAN;
  }

  /** The raw integer bits of a 1-8 byte element, zero-extended. */
  static long readBits(MemorySegment s, DType t, long off) {
    return switch (t.itemSize()) {
      case 1 -> Byte.toUnsignedLong(s.get(ValueLayout.JAVA_BYTE, off));
      case 2 -> Short.toUnsignedLong(s.get(le(t) ? SHORT_LE : SHORT_BE, off));
      case 4 -> Integer.toUnsignedLong(s.get(le(t) ? INT_LE : INT_BE, off));
      case 8 -> s.get(le(t) ? LONG_LE : LONG_BE, off);
      default -> throw new IllegalStateException("no integer view of " + t);
    };
  }

  private static void writeBits(MemorySegment s, DType t, long off, long bits) {
    switch (t.itemSize()) {
      case 1 -> s.set(ValueLayout.JAVA_BYTE, off, (byte) bits);
      case 2 -> s.set(le(t) ? SHORT_LE : SHORT_BE, off, (short) bits);
      case 4 -> s.set(le(t) ? INT_LE : INT_BE, off, (int) bits);
      case 8 -> s.set(le(t) ? LONG_LE : LONG_BE, off, bits);
      default -> throw new IllegalStateException("no integer view of " + t);
    }
  }

  /** An integer or bool element as a long (uint64 keeps its bit pattern). */
  static long readLong(MemorySegment s, DType t, long off) {
    return switch (t.kind()) {
      case BOOL -> readBits(s, t, off) != 0 ? 1 : 0;
      case UINT -> readBits(s, t, off);
      case INT -> {
        long bits = readBits(s, t, off);
        int shift = 64 - 8 * t.itemSize();
        yield (bits << shift) >> shift;
      }
      case FLOAT -> (long) readDouble(s, t, off);
      default -> throw new IllegalArgumentException(t.name() + " cannot be read as an integer");
    };
  }

  /** A real element as a double (uint64 above 2^63 read as its unsigned value). */
  static double readDouble(MemorySegment s, DType t, long off) {
    return switch (t.kind()) {
      case FLOAT ->
          switch (t.itemSize()) {
            case 2 -> Float.float16ToFloat((short) readBits(s, t, off));
            case 4 -> s.get(le(t) ? FLOAT_LE : FLOAT_BE, off);
            default -> s.get(le(t) ? DOUBLE_LE : DOUBLE_BE, off);
          };
      case UINT -> unsignedToDouble(readBits(s, t, off));
      case INT, BOOL -> readLong(s, t, off);
      default -> throw new IllegalArgumentException(t.name() + " cannot be read as a real number");
    };
  }

  /**
   * A real element as a float, rounded once like numpy's {@code astype(float32)}: 64-bit integers
   * go straight to float, not through a double (which could round twice).
   */
  static float readFloat(MemorySegment s, DType t, long off) {
    return switch (t.kind()) {
      case FLOAT ->
          t.itemSize() == 4
              ? s.get(le(t) ? FLOAT_LE : FLOAT_BE, off)
              : (float) readDouble(s, t, off);
      case INT -> (float) readLong(s, t, off);
      case UINT -> unsignedToFloat(readBits(s, t, off));
      default -> (float) readDouble(s, t, off);
    };
  }

  /**
   * uint64 bits as the nearest double. Halving keeps the dropped bit as a sticky bit, so the one
   * conversion rounds correctly (converting the half and adding the bit back would round twice).
   */
  static double unsignedToDouble(long v) {
    return v >= 0 ? v : (double) ((v >>> 1) | (v & 1)) * 2.0;
  }

  /** uint64 bits as the nearest float, rounded once (see {@link #unsignedToDouble}). */
  static float unsignedToFloat(long v) {
    return v >= 0 ? v : (float) ((v >>> 1) | (v & 1)) * 2.0f;
  }

  /**
   * A double rounded once to float16 bits, as numpy's {@code astype(float16)} does. Going through
   * float would round twice; rounding to float by round-to-odd first keeps enough information (24
   * bits for 11) for the second rounding to be the correct one.
   */
  static short doubleToFloat16(double v) {
    float f = (float) v;
    if (f != v && !Double.isNaN(v)) {
      if (Math.abs(f) > Math.abs(v)) {
        f = Math.nextAfter(f, 0.0);
      }
      f = Float.intBitsToFloat(Float.floatToRawIntBits(f) | 1);
    }
    return Float.floatToFloat16(f);
  }

  /** True when {@code t} stores float32 numbers: float32 itself or the halves of complex64. */
  private static boolean float32Parts(DType t) {
    return (t.kind() == DType.Kind.FLOAT && t.itemSize() == 4)
        || (t.kind() == DType.Kind.COMPLEX && t.itemSize() == 8);
  }

  /** Real ({@code part} 0) or imaginary ({@code part} 1) part of a complex element. */
  static double readComplexPart(MemorySegment s, DType t, long off, int part) {
    DType half = t.itemSize() == 8 ? DType.FLOAT32 : DType.FLOAT64;
    half = half.withOrder(t.order());
    return readDouble(s, half, off + (long) part * half.itemSize());
  }

  /** A unicode or bytes element as a string, without numpy's trailing NUL padding. */
  static String readString(MemorySegment s, DType t, long off) {
    byte[] raw = new byte[t.itemSize()];
    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off, raw, 0, raw.length);
    if (t.kind() == DType.Kind.BYTES) {
      int n = raw.length;
      while (n > 0 && raw[n - 1] == 0) {
        n--;
      }
      return new String(raw, 0, n, StandardCharsets.ISO_8859_1);
    }
    if (t.kind() != DType.Kind.UNICODE) {
      throw new IllegalArgumentException(t.name() + " is not a string type");
    }
    int chars = raw.length / 4;
    while (chars > 0 && readCodePoint(raw, t, chars - 1) == 0) {
      chars--;
    }
    StringBuilder sb = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      int cp = readCodePoint(raw, t, i);
      if (!Character.isValidCodePoint(cp)) {
        throw new IllegalArgumentException(
            "element at byte " + off + " holds an invalid code point " + Integer.toHexString(cp));
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  private static int readCodePoint(byte[] raw, DType t, int i) {
    MemorySegment seg = MemorySegment.ofArray(raw);
    return seg.get(le(t) ? INT_LE : INT_BE, i * 4L);
  }

  /** Writes a number, cast to {@code t} as numpy's {@code astype} would. */
  static void writeDouble(MemorySegment s, DType t, long off, double v) {
    switch (t.kind()) {
      case FLOAT -> {
        switch (t.itemSize()) {
          case 2 -> writeBits(s, t, off, doubleToFloat16(v));
          case 4 -> s.set(le(t) ? FLOAT_LE : FLOAT_BE, off, (float) v);
          default -> s.set(le(t) ? DOUBLE_LE : DOUBLE_BE, off, v);
        }
      }
      case BOOL -> writeBits(s, t, off, v != 0 ? 1 : 0);
      case INT -> writeBits(s, t, off, (long) v);
      case UINT ->
          writeBits(s, t, off, v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v);
      case COMPLEX -> {
        writeComplex(s, t, off, v, 0);
      }
      default -> throw new IllegalArgumentException("cannot store a number as " + t.name());
    }
  }

  /**
   * Writes an integer, cast to {@code t} (wrapping for narrower integers, rounding once for
   * float32: a detour through double could round twice).
   */
  static void writeLong(MemorySegment s, DType t, long off, long v) {
    switch (t.kind()) {
      case INT, UINT -> writeBits(s, t, off, v);
      case BOOL -> writeBits(s, t, off, v != 0 ? 1 : 0);
      default -> writeDouble(s, t, off, float32Parts(t) ? (float) v : (double) v);
    }
  }

  static void writeComplex(MemorySegment s, DType t, long off, double re, double im) {
    DType half = (t.itemSize() == 8 ? DType.FLOAT32 : DType.FLOAT64).withOrder(t.order());
    writeDouble(s, half, off, re);
    writeDouble(s, half, off + half.itemSize(), im);
  }

  /**
   * Writes a string into a fixed-width element, NUL-padded.
   *
   * @throws IllegalArgumentException if it does not fit, or a bytes type gets a non-Latin-1 char
   */
  static void writeString(MemorySegment s, DType t, long off, String v) {
    if (t.kind() == DType.Kind.BYTES) {
      for (int i = 0; i < v.length(); i++) {
        if (v.charAt(i) > 0xFF) {
          throw new IllegalArgumentException(
              "'" + v + "' has a character outside Latin-1; use a unicode dtype");
        }
      }
      byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
      checkFits(t, b.length, v);
      MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, off, b.length);
      s.asSlice(off + b.length, t.itemSize() - b.length).fill((byte) 0);
      return;
    }
    if (t.kind() != DType.Kind.UNICODE) {
      throw new IllegalArgumentException("cannot store a string as " + t.name());
    }
    int[] cps = v.codePoints().toArray();
    checkFits(t, cps.length, v);
    for (int i = 0; i < cps.length; i++) {
      s.set(le(t) ? INT_LE : INT_BE, off + 4L * i, cps[i]);
    }
    s.asSlice(off + 4L * cps.length, t.itemSize() - 4L * cps.length).fill((byte) 0);
  }

  private static void checkFits(DType t, int length, String v) {
    if (length > t.stringLength()) {
      throw new IllegalArgumentException(
          "'" + v + "' has " + length + " characters, more than " + t.descr() + " holds");
    }
  }

  /** Copies one element from {@code src} to {@code dst}, casting between types like astype. */
  static void convert(MemorySegment src, DType st, long so, MemorySegment dst, DType dt, long d) {
    if (st.equals(dt)) {
      MemorySegment.copy(src, so, dst, d, st.itemSize());
      return;
    }
    switch (st.kind()) {
      case UNICODE, BYTES -> writeString(dst, dt, d, readString(src, st, so));
      case COMPLEX -> {
        if (dt.kind() != DType.Kind.COMPLEX) {
          throw new IllegalArgumentException(
              "cannot cast "
                  + st.name()
                  + " to "
                  + dt.name()
                  + " without losing the imaginary part");
        }
        writeComplex(dst, dt, d, readComplexPart(src, st, so, 0), readComplexPart(src, st, so, 1));
      }
      case BOOL, INT, UINT -> {
        if (dt.kind() == DType.Kind.FLOAT || dt.kind() == DType.Kind.COMPLEX) {
          // float32 targets take the once-rounded float, never a rounded double rounded again
          double v = float32Parts(dt) ? readFloat(src, st, so) : readDouble(src, st, so);
          writeDouble(dst, dt, d, v);
        } else {
          writeLong(dst, dt, d, readLong(src, st, so));
        }
      }
      case FLOAT -> writeDouble(dst, dt, d, readDouble(src, st, so));
    }
  }

  /** Checks up front that every element of {@code from} can be cast to {@code to}. */
  static void checkConvertible(DType from, DType to) {
    boolean fromString = from.kind() == DType.Kind.UNICODE || from.kind() == DType.Kind.BYTES;
    boolean toString = to.kind() == DType.Kind.UNICODE || to.kind() == DType.Kind.BYTES;
    if (fromString != toString
        || (from.kind() == DType.Kind.COMPLEX && to.kind() != DType.Kind.COMPLEX)) {
      throw new IllegalArgumentException("cannot cast " + from.name() + " to " + to.name());
    }
  }
}
