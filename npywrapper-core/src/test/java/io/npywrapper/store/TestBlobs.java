package io.npywrapper.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Deterministic test content for store tests: seeded random bytes, blobs that carry their own
 * length and checksum (so a torn or mixed blob is detected without knowing what was written), and
 * large random files streamed to disk. Stateless and thread-safe.
 */
public final class TestBlobs {
  /** Bytes of a self-checking blob's header: its total length and the CRC32C of the rest. */
  public static final int HEADER = 16;

  private TestBlobs() {}

  /** {@code size} pseudo-random bytes determined by {@code seed}. */
  public static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** A blob of {@code size >= 16} bytes whose header records its length and payload checksum. */
  public static byte[] selfChecking(long seed, int size) {
    if (size < HEADER) {
      throw new IllegalArgumentException("size must be >= " + HEADER + ", got " + size);
    }
    byte[] b = random(seed, size);
    ByteBuffer.wrap(b).putLong(0, size).putLong(8, Checksums.crc32c(b, HEADER, size - HEADER));
    return b;
  }

  /** What is wrong with a blob made by {@link #selfChecking}, or null if it is intact. */
  public static String problem(byte[] b) {
    if (b.length < HEADER) {
      return "only " + b.length + " bytes, shorter than the header";
    }
    ByteBuffer h = ByteBuffer.wrap(b);
    if (h.getLong(0) != b.length) {
      return "header says " + h.getLong(0) + " bytes, got " + b.length;
    }
    long crc = Checksums.crc32c(b, HEADER, b.length - HEADER);
    if (h.getLong(8) != crc) {
      return "header says CRC32C " + h.getLong(8) + ", content has " + crc;
    }
    return null;
  }

  /**
   * Writes {@code size} pseudo-random bytes to {@code file} in 1 MiB chunks, never holding the
   * whole file in memory, and returns their CRC32C.
   */
  public static long writeRandomFile(Path file, long seed, long size) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    CRC32C crc = new CRC32C();
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; ) {
        int n = (int) Math.min(chunk.length, size - done);
        rnd.nextBytes(chunk);
        out.write(chunk, 0, n);
        crc.update(chunk, 0, n);
        done += n;
      }
    }
    return crc.getValue();
  }
}
