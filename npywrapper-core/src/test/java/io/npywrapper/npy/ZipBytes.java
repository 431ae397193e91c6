package io.npywrapper.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A ZIP archive's bytes with just enough structure to find and edit its records in tests: the end
 * record, central directory entries and local headers (32-bit fields; archives without forced ZIP64
 * end records). Not thread-safe.
 */
final class ZipBytes {
  final byte[] bytes;
  private final ByteBuffer buf;

  ZipBytes(byte[] bytes) {
    this.bytes = bytes;
    this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static ZipBytes read(Path p) throws IOException {
    return new ZipBytes(Files.readAllBytes(p));
  }

  void write(Path p) throws IOException {
    Files.write(p, bytes);
  }

  int eocd() {
    for (int i = bytes.length - 22; i >= 0; i--) {
      if (buf.getInt(i) == ZipDirectory.END_SIG) {
        return i;
      }
    }
    throw new AssertionError("no end record");
  }

  int cdOffset() {
    return (int) u32(eocd() + 16);
  }

  /** Offset of central directory entry {@code k}. */
  int central(int k) {
    int p = cdOffset();
    for (int i = 0; i < k; i++) {
      p += 46 + u16(p + 28) + u16(p + 30) + u16(p + 32);
    }
    return p;
  }

  String centralName(int k) {
    int p = central(k);
    return new String(bytes, p + 46, u16(p + 28), StandardCharsets.UTF_8);
  }

  /** Offset of member {@code k}'s local header. */
  int local(int k) {
    return (int) u32(central(k) + 42);
  }

  /** Offset of member {@code k}'s first data byte. */
  int dataStart(int k) {
    int l = local(k);
    return l + 30 + u16(l + 26) + u16(l + 28);
  }

  int u16(int at) {
    return Short.toUnsignedInt(buf.getShort(at));
  }

  long u32(int at) {
    return Integer.toUnsignedLong(buf.getInt(at));
  }

  ZipBytes put16(int at, int v) {
    buf.putShort(at, (short) v);
    return this;
  }

  ZipBytes put32(int at, long v) {
    buf.putInt(at, (int) v);
    return this;
  }

  ZipBytes put64(int at, long v) {
    buf.putLong(at, v);
    return this;
  }

  /** Replaces {@code from} with {@code to} (same length) everywhere. Returns how often. */
  int replaceAll(String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    if (f.length != t.length) {
      throw new IllegalArgumentException("lengths differ");
    }
    int n = 0;
    outer:
    for (int i = 0; i + f.length <= bytes.length; i++) {
      for (int j = 0; j < f.length; j++) {
        if (bytes[i + j] != f[j]) {
          continue outer;
        }
      }
      System.arraycopy(t, 0, bytes, i, t.length);
      n++;
    }
    return n;
  }
}
