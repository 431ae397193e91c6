package io.npywrapper.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) checksums, the checksum the manifest records for every file and that S3 and
 * GCS can verify natively. Values are the unsigned 32-bit CRC in a {@code long}, as {@link
 * CRC32C#getValue()} returns it; {@link #toHex} formats one the way manifests write it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Checksums {
  private static final int BUFFER = 1 << 20;

  private Checksums() {}

  /** The CRC32C of all of {@code data}. */
  public static long crc32c(byte[] data) {
    return crc32c(data, 0, data.length);
  }

  /** The CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
  public static long crc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return crc.getValue();
  }

  /**
   * The CRC32C of the bytes between {@code buffer}'s position and limit; the buffer's position is
   * left unchanged. Works on direct and memory-mapped buffers without copying.
   */
  public static long crc32c(ByteBuffer buffer) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate());
    return crc.getValue();
  }

  /** The CRC32C of the whole content of {@code file}, read in chunks. */
  public static long crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
      while (ch.read(buf) >= 0) {
        buf.flip();
        crc.update(buf);
        buf.clear();
      }
    }
    return crc.getValue();
  }

  /** The CRC32C of everything {@code in} yields until its end; the stream is not closed. */
  public static long crc32c(InputStream in) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[64 << 10];
    int n;
    while ((n = in.read(buf)) >= 0) {
      crc.update(buf, 0, n);
    }
    return crc.getValue();
  }

  /** A checksum as 8 lower-case hex digits, for example {@code "e3069283"}. */
  public static String toHex(long crc) {
    if (crc < 0 || crc > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not a 32-bit checksum: " + crc);
    }
    return String.format("%08x", crc);
  }

  /**
   * Parses 8 hex digits written by {@link #toHex}.
   *
   * @throws IllegalArgumentException if {@code hex} is not exactly 8 hex digits
   */
  public static long parseHex(String hex) {
    if (hex == null || hex.length() != 8) {
      throw new IllegalArgumentException("expected a CRC32C as 8 hex digits, got " + quote(hex));
    }
    for (int i = 0; i < hex.length(); i++) {
      if (!HexFormat.isHexDigit(hex.charAt(i))) {
        throw new IllegalArgumentException("expected a CRC32C as 8 hex digits, got " + quote(hex));
      }
    }
    return HexFormat.fromHexDigitsToLong(hex);
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
