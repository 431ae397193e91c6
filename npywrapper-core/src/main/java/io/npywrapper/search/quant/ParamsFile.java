package io.npywrapper.search.quant;

import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads and writes {@code vectors.i8.params}: the quantizer's parameters plus the row count and the
 * CRC32C of the data section of the codes file they belong to. Little-endian layout (documented in
 * {@code docs/FORMAT.md}):
 *
 * <pre>
 *  0   8  magic "NPYWSQ8" then a zero byte
 *  8   4  format version (u32), 1
 * 12   4  dimension d (u32), 1..65536
 * 16   1  metric: 0 l2, 1 cosine, 2 dot
 * 17   1  granularity: 0 global, 1 per-dimension
 * 18   2  zero
 * 20   4  confidence (f32)
 * 24   4  sample rows (u32)
 * 28   8  sample seed (i64)
 * 36   8  rows n of vectors.i8.npy (i64)
 * 44   4  CRC32C of vectors.i8.npy's data section (the n*d code bytes after the .npy header)
 * 48  4d  offsets o[j] (f32)
 * 48+4d 4d steps s[j] (f32)
 * 48+8d 4 CRC32C of every byte before it
 * </pre>
 *
 * The whole file is checked when read (it is at most about half a megabyte). Stateless and
 * thread-safe.
 */
final class ParamsFile {
  static final int VERSION = 1;
  static final int HEADER_BYTES = 48;
  private static final byte[] MAGIC = {'N', 'P', 'Y', 'W', 'S', 'Q', '8', 0};
  private static final Metric[] METRICS = {Metric.L2, Metric.COSINE, Metric.DOT};

  /** What the file holds: the parameters and the identity of the codes they go with. */
  record Contents(QuantizationParams params, long rows, long codesCrc) {}

  private ParamsFile() {}

  static long fileSize(int dim) {
    return HEADER_BYTES + 8L * dim + 4;
  }

  static void write(Path path, Contents c, WriteOptions options) throws IOException {
    QuantizationParams p = c.params();
    int d = p.dimension();
    ByteBuffer b = ByteBuffer.allocate((int) fileSize(d)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(d);
    b.put((byte) metricCode(p.metric())).put((byte) p.granularity().ordinal()).putShort((short) 0);
    b.putFloat(p.confidence()).putInt(p.sampleRows()).putLong(p.seed());
    b.putLong(c.rows()).putInt((int) c.codesCrc());
    for (int j = 0; j < d; j++) {
      b.putFloat(p.offset(j));
    }
    for (int j = 0; j < d; j++) {
      b.putFloat(p.step(j));
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    publish(path, b.flip(), options);
  }

  private static int metricCode(Metric m) {
    for (int i = 0; i < METRICS.length; i++) {
      if (METRICS[i] == m) {
        return i;
      }
    }
    throw new IllegalArgumentException("no code for metric " + m);
  }

  private static void publish(Path path, ByteBuffer content, WriteOptions options)
      throws IOException {
    if (!options.overwrite() && Files.exists(path)) {
      throw new FileAlreadyExistsException(path.toString());
    }
    Path dir = path.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        while (content.hasRemaining()) {
          ch.write(content);
        }
        if (options.sync()) {
          ch.force(true);
        }
      }
      if (options.overwrite()) {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
      }
      if (options.sync()) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
          d.force(true);
        } catch (IOException ignored) {
          // some file systems cannot open a directory for syncing; the file itself is synced
        }
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads and fully verifies a parameters file.
   *
   * @throws QuantFormatException naming the file when it is truncated, corrupt, of another format
   *     or of a newer version
   */
  static Contents read(Path path) throws IOException {
    String name = path.toString();
    long size = Files.size(path);
    if (size < HEADER_BYTES + 12) {
      throw new QuantFormatException(
          name,
          "truncated: " + size + " bytes, a parameters file has at least " + (HEADER_BYTES + 12));
    }
    if (size > fileSize(QuantizationParams.MAX_DIMENSION)) {
      throw new QuantFormatException(
          name,
          size + " bytes is larger than any parameters file (" + fileSize(65536) + " at most)");
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.capacity() != size) {
      throw new QuantFormatException(name, "changed size while being read");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        throw new QuantFormatException(
            name, "not a quantization parameters file (magic NPYWSQ8 expected)");
      }
    }
    int version = b.getInt(8);
    if (version > VERSION) {
      throw new QuantFormatException(
          name, "format version " + version + " is newer than this build reads (" + VERSION + ")");
    }
    if (version < 1) {
      throw new QuantFormatException(name, "corrupt: format version " + version);
    }
    long dim = Integer.toUnsignedLong(b.getInt(12));
    if (dim < 1 || dim > QuantizationParams.MAX_DIMENSION) {
      throw new QuantFormatException(
          name,
          "corrupt: dimension "
              + dim
              + " is outside [1, "
              + QuantizationParams.MAX_DIMENSION
              + "]");
    }
    if (size != fileSize((int) dim)) {
      throw new QuantFormatException(
          name,
          (size < fileSize((int) dim) ? "truncated: " : "corrupt: ")
              + size
              + " bytes, a file of dimension "
              + dim
              + " has "
              + fileSize((int) dim));
    }
    int end = (int) size - 4;
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, end);
    long stored = Integer.toUnsignedLong(b.getInt(end));
    if (stored != crc.getValue()) {
      throw new QuantFormatException(
          name,
          "corrupt: checksum mismatch (stored "
              + Long.toHexString(stored)
              + ", computed "
              + Long.toHexString(crc.getValue())
              + ")");
    }
    return decode(b, (int) dim, name);
  }

  private static Contents decode(ByteBuffer b, int d, String name) throws QuantFormatException {
    int metric = b.get(16);
    int granularity = b.get(17);
    if (metric < 0 || metric >= METRICS.length) {
      throw new QuantFormatException(name, "corrupt: unknown metric code " + metric);
    }
    if (granularity < 0 || granularity >= Granularity.values().length) {
      throw new QuantFormatException(name, "corrupt: unknown granularity code " + granularity);
    }
    long rows = b.getLong(36);
    if (rows < 0) {
      throw new QuantFormatException(name, "corrupt: negative row count " + rows);
    }
    float[] offsets = new float[d];
    float[] steps = new float[d];
    for (int j = 0; j < d; j++) {
      offsets[j] = b.getFloat(HEADER_BYTES + 4 * j);
      steps[j] = b.getFloat(HEADER_BYTES + 4 * d + 4 * j);
    }
    try {
      QuantizationParams p =
          new QuantizationParams(
              METRICS[metric],
              Granularity.values()[granularity],
              b.getFloat(20),
              b.getInt(24),
              b.getLong(28),
              offsets,
              steps);
      return new Contents(p, rows, Integer.toUnsignedLong(b.getInt(44)));
    } catch (IllegalArgumentException e) {
      throw new QuantFormatException(name, "corrupt: " + e.getMessage(), e);
    }
  }
}
