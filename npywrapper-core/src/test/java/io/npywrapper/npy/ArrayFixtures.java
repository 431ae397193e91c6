package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Test data for the codec, independent of the codec's own element code: every supported dtype and
 * byte order, deterministic value pools shared with Python (so Java and numpy build the same
 * arrays), random values, an element encoder written with {@link ByteBuffer}, and an element check
 * that reads through every typed getter of {@link NpyArray}.
 *
 * <p>Element values are plain Java objects: {@link Boolean} for bool, {@link Long} for integers
 * (uint64 as its bit pattern), {@link Double} for floats, {@code double[2]} for complex, {@link
 * String} for unicode and {@code byte[]} for byte strings.
 */
final class ArrayFixtures {
  private ArrayFixtures() {}

  private static final long P53 = 1L << 53;
  private static final long P60 = 1L << 60;
  private static final long P63 = Long.MIN_VALUE; // 2**63 as uint64 bits

  /** Pools of integer values; the double-rounding traps are correct only if rounded once. */
  private static final long[] I1 = {-128, 127, 0, -1, 1, 42, -100};

  private static final long[] U1 = {0, 255, 1, 128, 200};
  private static final long[] I2 = {-32768, 32767, 0, -1, 12345, -300};
  private static final long[] U2 = {0, 65535, 40000, 1, 256};
  private static final long[] I4 = {
    Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 123456789, 16777217
  };
  private static final long[] U4 = {0, 0xFFFF_FFFFL, 3_000_000_000L, 1, 16777217};
  private static final long[] I8 = {
    Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, P53 + 1, P60 + (1L << 36) + 1, -(P60 + (1L << 36) + 1)
  };
  private static final long[] U8 = {
    0, -1L, P63, P63 + 1025, P63 + (1L << 39) + 1, 1, P53 + 1, P60 + (1L << 36) + 1
  };

  private static final double[] F2 = {
    0.0,
    -0.0,
    1.0,
    -2.5,
    65504.0,
    0x1p-14,
    0x1p-24,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN,
    Float.float16ToFloat((short) 0x3555),
    1.0009765625
  };
  private static final double[] F4 = {
    0.0,
    -0.0,
    1.5,
    -3.25,
    Float.MAX_VALUE,
    Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN,
    1.0f / 3.0f,
    16777216.0
  };
  private static final double[] F8 = {
    0.0,
    -0.0,
    Math.PI,
    -1e300,
    Double.MAX_VALUE,
    Double.MIN_VALUE,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN,
    0.1,
    1 + 0x1p-11 + 0x1p-40,
    0x1.000001p0 + 0x1p-40
  };
  private static final String[] U = {
    "", "a", "h\u00e9llo", "\u65e5\u672c\u8a9e", "\ud83d\ude00x", "a\u0000b", "wxyz\u00ff"
  };
  private static final byte[][] S = {
    {}, {'a'}, {(byte) 0xff, 0, 'z'}, "hello".getBytes(StandardCharsets.US_ASCII), {(byte) 0x80}
  };

  /** Every dtype of the interop matrix, each in every byte order numpy can write for it. */
  static List<DType> allDTypes() {
    List<DType> base =
        List.of(
            DType.BOOL,
            DType.INT8,
            DType.INT16,
            DType.INT32,
            DType.INT64,
            DType.UINT8,
            DType.UINT16,
            DType.UINT32,
            DType.UINT64,
            DType.FLOAT16,
            DType.FLOAT32,
            DType.FLOAT64,
            DType.COMPLEX64,
            DType.COMPLEX128,
            DType.unicode(1, ByteOrder.LITTLE_ENDIAN),
            DType.unicode(6, ByteOrder.LITTLE_ENDIAN),
            DType.bytes(1),
            DType.bytes(6));
    List<DType> out = new ArrayList<>();
    for (DType t : base) {
      out.add(t);
      DType big = t.withOrder(ByteOrder.BIG_ENDIAN);
      if (!big.equals(t)) {
        out.add(big);
      }
    }
    return out;
  }

  /** The pool name of a dtype, shared with the Python side: {@code i8}, {@code f2}, {@code U}. */
  static String poolKey(DType t) {
    return switch (t.kind()) {
      case UNICODE -> "U";
      case BYTES -> "S";
      case COMPLEX -> "c" + t.itemSize();
      default -> "" + t.kind().code() + t.itemSize();
    };
  }

  /**
   * The deterministic element at C-order flat index {@code i} for a case with {@code offset}: the
   * formula {@code pool[(7 i + offset) % len]}, strings cut to the dtype's length.
   */
  static Object poolValue(DType t, long i, int offset) {
    int k;
    switch (t.kind()) {
      case BOOL -> {
        return ((7 * i + offset) % 2) == 1;
      }
      case INT, UINT -> {
        long[] p = intPool(t);
        return p[index(p.length, i, offset)];
      }
      case FLOAT -> {
        double[] p = floatPool(t.itemSize());
        return p[index(p.length, i, offset)];
      }
      case COMPLEX -> {
        double[] p = floatPool(t.itemSize() / 2);
        k = index(p.length, i, offset);
        return new double[] {p[k], p[(k + 3) % p.length]};
      }
      case UNICODE -> {
        String s = U[index(U.length, i, offset)];
        return truncateCodePoints(s, t.stringLength());
      }
      case BYTES -> {
        byte[] b = S[index(S.length, i, offset)];
        return Arrays.copyOf(b, Math.min(b.length, t.stringLength()));
      }
    }
    throw new AssertionError(t);
  }

  private static int index(int len, long i, int offset) {
    return (int) ((7 * i + offset) % len);
  }

  private static String truncateCodePoints(String s, int n) {
    int cps = s.codePointCount(0, s.length());
    return cps <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
  }

  private static long[] intPool(DType t) {
    boolean signed = t.kind() == DType.Kind.INT;
    return switch (t.itemSize()) {
      case 1 -> signed ? I1 : U1;
      case 2 -> signed ? I2 : U2;
      case 4 -> signed ? I4 : U4;
      default -> signed ? I8 : U8;
    };
  }

  private static double[] floatPool(int size) {
    return switch (size) {
      case 2 -> F2;
      case 4 -> F4;
      default -> F8;
    };
  }

  /**
   * Python source defining {@code POOLS} and {@code value(key, n, i, off)}, the same formula as
   * {@link #poolValue}, so that numpy builds exactly the arrays Java builds.
   */
  static String pythonPools() {
    StringBuilder sb = new StringBuilder("POOLS = {\n");
    sb.append(" 'b1': [False, True],\n");
    for (DType t :
        List.of(
            DType.INT8,
            DType.INT16,
            DType.INT32,
            DType.INT64,
            DType.UINT8,
            DType.UINT16,
            DType.UINT32,
            DType.UINT64)) {
      sb.append(" '").append(poolKey(t)).append("': [");
      for (long v : intPool(t)) {
        sb.append(t.kind() == DType.Kind.UINT ? Long.toUnsignedString(v) : Long.toString(v))
            .append(", ");
      }
      sb.append("],\n");
    }
    for (int size : new int[] {2, 4, 8}) {
      sb.append(" 'f").append(size).append("': [");
      for (double v : floatPool(size)) {
        sb.append(pyFloat(v)).append(", ");
      }
      sb.append("],\n");
    }
    sb.append(" 'U': [");
    for (String s : U) {
      sb.append(pyStr(s)).append(", ");
    }
    sb.append("],\n 'S': [");
    for (byte[] b : S) {
      sb.append(pyBytes(b)).append(", ");
    }
    sb.append("],\n}\n");
    sb.append(
        """
        def value(key, n, i, off):
            if key == 'b1':
                return (7 * i + off) % 2 == 1
            if key[0] == 'c':
                p = POOLS['f' + str(int(key[1:]) // 2)]
                k = (7 * i + off) % len(p)
                return complex(p[k], p[(k + 3) % len(p)])
            p = POOLS[key]
            v = p[(7 * i + off) % len(p)]
            return v[:n] if key in ('U', 'S') else v
        """);
    return sb.toString();
  }

  /** A Python expression for exactly {@code v}. */
  static String pyFloat(double v) {
    if (Double.isNaN(v)) {
      return "float('nan')";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "float('inf')" : "float('-inf')";
    }
    return "float.fromhex('" + Double.toHexString(v) + "')";
  }

  /** A Python str literal for {@code s}, every non-ASCII code point escaped. */
  static String pyStr(String s) {
    StringBuilder sb = new StringBuilder("'");
    s.codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f && cp != '\\' && cp != '\'') {
                sb.append((char) cp);
              } else {
                sb.append(String.format("\\U%08x", cp));
              }
            });
    return sb.append('\'').toString();
  }

  /** A Python bytes literal for {@code b}. */
  static String pyBytes(byte[] b) {
    StringBuilder sb = new StringBuilder("b'");
    for (byte x : b) {
      sb.append(String.format("\\x%02x", x & 0xff));
    }
    return sb.append('\'').toString();
  }

  // ----------------------------------------------------------------------------- random values

  /** A random dtype of any supported kind, size and byte order. */
  static DType randomDType(Random rnd) {
    DType t =
        switch (rnd.nextInt(7)) {
          case 0 -> DType.BOOL;
          case 1 -> DType.parse("<i" + (1 << rnd.nextInt(4)));
          case 2 -> DType.parse("<u" + (1 << rnd.nextInt(4)));
          case 3 -> DType.parse("<f" + (2 << rnd.nextInt(3)));
          case 4 -> rnd.nextBoolean() ? DType.COMPLEX64 : DType.COMPLEX128;
          case 5 -> DType.unicode(1 + rnd.nextInt(8), ByteOrder.LITTLE_ENDIAN);
          default -> DType.bytes(1 + rnd.nextInt(8));
        };
    return t.withOrder(rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
  }

  /** A random element of {@code t}: any bit pattern for numbers, non-NUL-terminated strings. */
  static Object randomValue(DType t, Random rnd) {
    return switch (t.kind()) {
      case BOOL -> rnd.nextBoolean();
      case INT -> {
        int shift = 64 - 8 * t.itemSize();
        yield (rnd.nextLong() << shift) >> shift;
      }
      case UINT -> rnd.nextLong() >>> (64 - 8 * t.itemSize());
      case FLOAT -> randomFloat(t.itemSize(), rnd);
      case COMPLEX ->
          new double[] {randomFloat(t.itemSize() / 2, rnd), randomFloat(t.itemSize() / 2, rnd)};
      case UNICODE -> {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(t.stringLength() + 1);
        for (int i = 0; i < n; i++) {
          int cp =
              switch (rnd.nextInt(3)) {
                case 0 -> 1 + rnd.nextInt(0x7f);
                case 1 -> 0xe000 + rnd.nextInt(0x2000);
                default -> 0x10000 + rnd.nextInt(0x100000);
              };
          sb.appendCodePoint(cp);
        }
        yield sb.toString();
      }
      case BYTES -> {
        byte[] b = new byte[rnd.nextInt(t.stringLength() + 1)];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) (1 + rnd.nextInt(255));
        }
        yield b;
      }
    };
  }

  private static double randomFloat(int size, Random rnd) {
    if (rnd.nextInt(8) == 0) {
      double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1.0};
      return special[rnd.nextInt(special.length)];
    }
    return switch (size) {
      case 2 -> Float.float16ToFloat((short) rnd.nextInt());
      case 4 -> Float.intBitsToFloat(rnd.nextInt());
      default -> Double.longBitsToDouble(rnd.nextLong());
    };
  }

  // ----------------------------------------------------------------------------- layout

  /** Number of elements of {@code shape}. */
  static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The index tuple of C-order flat index {@code flat}. */
  static long[] unravel(long flat, long[] shape) {
    long[] idx = new long[shape.length];
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      idx[axis] = flat % shape[axis];
      flat /= shape[axis];
    }
    return idx;
  }

  /** Position in storage order (C or Fortran) of the element at {@code idx}. */
  static long storageIndex(long[] idx, long[] shape, boolean fortran) {
    long pos = 0;
    if (fortran) {
      for (int axis = shape.length - 1; axis >= 0; axis--) {
        pos = pos * shape[axis] + idx[axis];
      }
    } else {
      for (int axis = 0; axis < shape.length; axis++) {
        pos = pos * shape[axis] + idx[axis];
      }
    }
    return pos;
  }

  /**
   * The data bytes of an array whose logical (C-order) elements are {@code values}, laid out in the
   * header's memory order and encoded by {@link #encode}.
   */
  static byte[] layout(NpyHeader h, Object[] values) {
    long[] shape = h.shape();
    int size = h.dtype().itemSize();
    byte[] out = new byte[Math.toIntExact(h.dataBytes())];
    ByteBuffer bb = ByteBuffer.wrap(out).order(h.dtype().order());
    for (int i = 0; i < values.length; i++) {
      long pos = storageIndex(unravel(i, shape), shape, h.fortranOrder());
      encode(bb, (int) pos * size, h.dtype(), values[i]);
    }
    return out;
  }

  /** Writes one element at byte {@code pos} of {@code bb}, whose order must be the dtype's. */
  static void encode(ByteBuffer bb, int pos, DType t, Object v) {
    switch (t.kind()) {
      case BOOL -> bb.put(pos, (byte) ((Boolean) v ? 1 : 0));
      case INT, UINT -> {
        long x = (Long) v;
        switch (t.itemSize()) {
          case 1 -> bb.put(pos, (byte) x);
          case 2 -> bb.putShort(pos, (short) x);
          case 4 -> bb.putInt(pos, (int) x);
          default -> bb.putLong(pos, x);
        }
      }
      case FLOAT -> encodeFloat(bb, pos, t.itemSize(), (Double) v);
      case COMPLEX -> {
        double[] c = (double[]) v;
        int half = t.itemSize() / 2;
        encodeFloat(bb, pos, half, c[0]);
        encodeFloat(bb, pos + half, half, c[1]);
      }
      case UNICODE -> {
        int[] cps = ((String) v).codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
          bb.putInt(pos + 4 * i, cps[i]);
        }
      }
      case BYTES -> bb.put(pos, (byte[]) v);
    }
  }

  private static void encodeFloat(ByteBuffer bb, int pos, int size, double v) {
    switch (size) {
      case 2 -> bb.putShort(pos, Float.floatToFloat16((float) v));
      case 4 -> bb.putFloat(pos, (float) v);
      default -> bb.putDouble(pos, v);
    }
  }

  // ----------------------------------------------------------------------------- checks

  /** {@code v} (uint64 bits) as the nearest double, computed exactly. */
  static double unsignedToDouble(long v) {
    return new BigDecimal(Long.toUnsignedString(v)).doubleValue();
  }

  /** {@code v} (uint64 bits) as the nearest float, computed exactly. */
  static float unsignedToFloat(long v) {
    return new BigDecimal(Long.toUnsignedString(v)).floatValue();
  }

  /** The float32 numpy's {@code astype(float32)} gives for a real element. */
  static float expectedFloat(DType t, Object v) {
    return switch (t.kind()) {
      case BOOL -> (Boolean) v ? 1f : 0f;
      case INT -> (float) (long) (Long) v;
      case UINT -> unsignedToFloat((Long) v);
      case FLOAT -> (float) (double) (Double) v;
      default -> throw new AssertionError(t + " is not real");
    };
  }

  /**
   * Checks the element at {@code idx} through every getter that applies to its dtype against {@code
   * expected}; {@code ctx} starts each failure message.
   */
  static void assertElement(NpyArray a, long[] idx, Object expected, String ctx) {
    DType t = a.dtype();
    String where = ctx + " at " + Arrays.toString(idx) + ": ";
    switch (t.kind()) {
      case BOOL -> {
        boolean b = (Boolean) expected;
        assertEquals(b, a.getBoolean(idx), where + "getBoolean");
        assertEquals(b ? 1L : 0L, a.getLong(idx), where + "getLong");
        assertEquals(b ? 1.0 : 0.0, a.getDouble(idx), where + "getDouble");
      }
      case INT -> {
        long v = (Long) expected;
        assertEquals(v, a.getLong(idx), where + "getLong");
        assertEquals((double) v, a.getDouble(idx), where + "getDouble");
        assertEquals((float) v, a.getFloat(idx), where + "getFloat");
      }
      case UINT -> {
        long v = (Long) expected;
        assertEquals(v, a.getLong(idx), where + "getLong (bits)");
        assertEquals(unsignedToDouble(v), a.getDouble(idx), where + "getDouble of " + u(v));
        assertEquals(unsignedToFloat(v), a.getFloat(idx), where + "getFloat of " + u(v));
      }
      case FLOAT -> {
        double v = (Double) expected;
        assertSame(v, a.getDouble(idx), where + "getDouble");
        assertSame((float) v, a.getFloat(idx), where + "getFloat");
      }
      case COMPLEX -> {
        double[] c = (double[]) expected;
        assertSame(c[0], a.getReal(idx), where + "getReal");
        assertSame(c[1], a.getImaginary(idx), where + "getImaginary");
      }
      case UNICODE -> assertEquals(stripNuls((String) expected), a.getString(idx), where);
      case BYTES -> {
        String s = new String((byte[]) expected, StandardCharsets.ISO_8859_1);
        assertEquals(stripNuls(s), a.getString(idx), where);
      }
    }
  }

  private static String u(long v) {
    return Long.toUnsignedString(v);
  }

  private static String stripNuls(String s) {
    int n = s.length();
    while (n > 0 && s.charAt(n - 1) == 0) {
      n--;
    }
    return s.substring(0, n);
  }

  /** Equality of doubles that tells -0.0 from 0.0 and accepts NaN for NaN. */
  static void assertSame(double expected, double actual, String message) {
    if (Double.compare(expected, actual) != 0) {
      fail(message + ": expected " + expected + " but was " + actual);
    }
  }

  /** Checks every row of a real array through {@link NpyArray#readRow(long)}. */
  static void assertRows(NpyArray a, float[] expectedFlat, String ctx) {
    if (a.rank() == 0) {
      return;
    }
    int len = (int) a.rowLength();
    for (long r = 0; r < a.rows(); r++) {
      float[] row = a.readRow(r);
      for (int k = 0; k < len; k++) {
        float e = expectedFlat[(int) (r * len + k)];
        if (Float.compare(e, row[k]) != 0) {
          fail(ctx + ": readRow(" + r + ")[" + k + "] expected " + e + " but was " + row[k]);
        }
      }
    }
  }

  /**
   * A {@code .npy} file with a hand-written header dict: magic, version {@code major}.0, the length
   * field, {@code dict} (Latin-1 for 1.0 and 2.0, UTF-8 for 3.0), padding to 64 bytes and a
   * newline, then {@code data}.
   */
  static byte[] rawNpy(String dict, int major, byte[] data) {
    byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int prefix = major == 1 ? 10 : 12;
    int pad = 64 - (prefix + text.length + 1) % 64;
    int headerLen = text.length + pad + 1;
    ByteBuffer bb =
        ByteBuffer.allocate(prefix + headerLen + data.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      bb.putShort((short) headerLen);
    } else {
      bb.putInt(headerLen);
    }
    bb.put(text);
    for (int i = 0; i < pad; i++) {
      bb.put((byte) ' ');
    }
    return bb.put((byte) '\n').put(data).array();
  }

  /** Little-endian float32 bytes of {@code values}. */
  static byte[] floatsLE(float... values) {
    ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bb.putFloat(v);
    }
    return bb.array();
  }
}
