package io.npywrapper.bench.ann;

import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX image file (the MNIST / Fashion-MNIST format: big-endian magic {@code 0x00000803},
 * then image count, rows and columns, then one unsigned byte per pixel), gzip-compressed or not,
 * and writes the images as a float32 {@code (images, rows * cols)} {@code .npy} with pixel values
 * 0..255. Stateless and thread-safe.
 *
 * <p>Every size field is checked against the file before anything is allocated, and a short file
 * fails naming the image it stopped in: a hostile header can neither exhaust memory nor hang.
 */
public final class IdxImages {
  /** Magic of an IDX file of unsigned bytes with three dimensions. */
  static final int MAGIC_UBYTE_3D = 0x00000803;

  /** Largest image (rows * cols) accepted. */
  static final int MAX_PIXELS = 1 << 20;

  private IdxImages() {}

  /**
   * Converts the first {@code limit} images of {@code idx} (all when it holds fewer) to a float32
   * {@code .npy} at {@code out}, replacing nothing: {@code out} must not exist.
   *
   * @return the number of images written
   * @throws IllegalArgumentException naming the file, field and values when it is not an IDX file
   *     of unsigned-byte images or is cut short; then no {@code out} is left behind
   */
  public static long toNpy(Path idx, Path out, long limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    try (DataInputStream in = new DataInputStream(open(idx))) {
      int magic = readInt(in, idx, "magic");
      if (magic != MAGIC_UBYTE_3D) {
        throw new IllegalArgumentException(
            String.format(
                "%s: not an IDX file of unsigned-byte images: magic 0x%08x, expected 0x%08x",
                idx, magic, MAGIC_UBYTE_3D));
      }
      long count = Integer.toUnsignedLong(readInt(in, idx, "image count"));
      long rows = Integer.toUnsignedLong(readInt(in, idx, "rows"));
      long cols = Integer.toUnsignedLong(readInt(in, idx, "columns"));
      if (rows < 1
          || cols < 1
          || rows > MAX_PIXELS
          || cols > MAX_PIXELS
          || rows * cols > MAX_PIXELS) {
        throw new IllegalArgumentException(
            idx
                + ": image size "
                + rows
                + " x "
                + cols
                + " is out of range (1 to "
                + MAX_PIXELS
                + " pixels expected)");
      }
      if (count < 1) {
        throw new IllegalArgumentException(idx + ": the header says it holds no images");
      }
      int pixels = (int) (rows * cols);
      long n = Math.min(count, limit);
      byte[] raw = new byte[pixels];
      float[] row = new float[pixels];
      try (NpyStreamWriter w =
          NpyStreamWriter.createFloat32(out, pixels, WriteOptions.DEFAULT.withoutSync())) {
        for (long i = 0; i < n; i++) {
          readImage(in, raw, idx, i, count);
          for (int p = 0; p < pixels; p++) {
            row[p] = raw[p] & 0xff;
          }
          w.appendRow(row);
        }
        w.finish();
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(out);
        throw e;
      }
      return n;
    }
  }

  private static InputStream open(Path idx) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(idx), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static int readInt(DataInputStream in, Path idx, String field) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new IllegalArgumentException(idx + ": file ends inside the header field " + field);
    }
  }

  private static void readImage(DataInputStream in, byte[] raw, Path idx, long i, long count)
      throws IOException {
    try {
      in.readFully(raw);
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          idx + ": file ends inside image " + i + " of the " + count + " its header announces");
    }
  }
}
