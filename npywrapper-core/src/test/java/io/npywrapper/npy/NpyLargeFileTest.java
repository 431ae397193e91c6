package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed access beyond 2 GiB, cheaply: sparse files whose header covers more than 2^31 bytes of data
 * that is never written (a hole reads as zeros and uses no disk), with one value written near the
 * end to prove the offsets.
 */
class NpyLargeFileTest {
  private static final long TWO_GIB = 1L << 31;

  @TempDir Path dir;

  /** Writes {@code h}, makes the file its full length as a hole, and puts {@code tail} last. */
  private static Path sparse(Path file, NpyHeader h, byte[] tail) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(h.encode()), 0);
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(h.fileSize());
      raf.seek(h.fileSize() - tail.length);
      raf.write(tail);
    }
    return file;
  }

  @Test
  void lastRowOfAFloatMatrixPast2GiB() throws IOException {
    long rows = TWO_GIB / 4096 + 2;
    NpyHeader h = NpyHeader.of(DType.FLOAT32, false, rows, 1024);
    byte[] tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(42.5f).array();
    Path f = sparse(dir.resolve("big.npy"), h, tail);
    try (NpyArray a = NpyArray.open(f)) {
      assertEquals(rows, a.rows());
      assertTrue(a.byteOffset(rows - 1, 0) > TWO_GIB);
      float[] last = a.readRow(rows - 1);
      float[] expected = new float[1024];
      expected[1023] = 42.5f;
      assertArrayEquals(expected, last);
      assertEquals(0f, a.getFloat(rows - 1, 0));
      assertEquals(42.5, a.getDouble(rows - 1, 1023));
      assertEquals(0f, a.readRow(rows - 2)[1023]);
      assertEquals(4096, a.row(rows - 1).byteSize());
    }
  }

  @Test
  void moreThan2To31ElementsIn1d() throws IOException {
    long n = TWO_GIB + 5;
    NpyHeader h = NpyHeader.of(DType.INT16.withOrder(ByteOrder.BIG_ENDIAN), false, n);
    Path f = sparse(dir.resolve("long.npy"), h, new byte[] {(byte) 0xff, (byte) 0xfe});
    try (NpyArray a = NpyArray.open(f)) {
      assertEquals(n, a.size());
      assertEquals(-2, a.getLong(n - 1));
      assertEquals(0, a.getLong(n - 2));
      assertEquals(0, a.getLong(TWO_GIB));
      assertEquals(-2f, a.readRow(n - 1)[0]);
    }
  }

  @Test
  void fortranOrderPast2GiB() throws IOException {
    long cols = TWO_GIB / 8 / 512 + 3;
    NpyHeader h = NpyHeader.of(DType.COMPLEX64, true, 512, cols).withVersion(2);
    byte[] tail =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-3f).array();
    Path f = sparse(dir.resolve("fortran.npy"), h, tail);
    try (NpyArray a = NpyArray.open(f)) {
      assertTrue(a.byteOffset(511, cols - 1) > TWO_GIB);
      assertEquals(1.5, a.getReal(511, cols - 1));
      assertEquals(-3.0, a.getImaginary(511, cols - 1));
      assertEquals(0.0, a.getReal(510, cols - 1));
      assertEquals(0.0, a.getImaginary(511, cols - 2));
    }
  }
}
