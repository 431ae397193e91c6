package io.npywrapper.bench.ann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpyArray;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxImagesTest {
  @TempDir Path dir;

  private static byte[] idx(int magic, int count, int rows, int cols, byte[] pixels)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(magic);
    d.writeInt(count);
    d.writeInt(rows);
    d.writeInt(cols);
    d.write(pixels);
    return b.toByteArray();
  }

  private Path file(String name, byte[] content, boolean gzip) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream o =
        gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      o.write(content);
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void convertsImagesToFloat32Rows(boolean gzip) throws IOException {
    byte[] px = new byte[3 * 2 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 15);
    }
    px[5] = (byte) 255;
    Path in = file("img", idx(IdxImages.MAGIC_UBYTE_3D, 3, 2, 3, px), gzip);
    Path out = dir.resolve("out.npy");
    assertEquals(3, IdxImages.toNpy(in, out, Long.MAX_VALUE));
    try (NpyArray a = NpyArray.open(out)) {
      assertArrayEquals(new long[] {3, 6}, a.shape());
      for (int r = 0; r < 3; r++) {
        float[] want = new float[6];
        for (int j = 0; j < 6; j++) {
          want[j] = px[r * 6 + j] & 0xff;
        }
        assertArrayEquals(want, a.readRow(r));
      }
      assertEquals(255f, a.getFloat(0, 5));
    }
  }

  @Test
  void limitTakesTheFirstImages() throws IOException {
    Path in = file("img", idx(IdxImages.MAGIC_UBYTE_3D, 4, 1, 2, new byte[8]), true);
    Path out = dir.resolve("out.npy");
    assertEquals(2, IdxImages.toNpy(in, out, 2));
    try (NpyArray a = NpyArray.open(out)) {
      assertEquals(2, a.rows());
    }
  }

  @Test
  void badMagicIsNamed() throws IOException {
    Path in = file("labels", idx(0x00000801, 4, 1, 2, new byte[8]), true);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> IdxImages.toNpy(in, dir.resolve("out.npy"), 10));
    assertTrue(e.getMessage().contains("magic 0x00000801, expected 0x00000803"), e.getMessage());
    assertTrue(e.getMessage().contains(in.toString()), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out.npy")));
  }

  @Test
  void truncatedFileNamesTheImageAndLeavesNoOutput() throws IOException {
    Path in = file("img", idx(IdxImages.MAGIC_UBYTE_3D, 5, 2, 2, new byte[4 * 2 + 3]), true);
    Path out = dir.resolve("out.npy");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IdxImages.toNpy(in, out, 10));
    assertTrue(e.getMessage().contains("ends inside image 2 of the 5"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void hostileSizesAreRejectedBeforeAllocating() throws IOException {
    Path huge =
        file("huge", idx(IdxImages.MAGIC_UBYTE_3D, -1, 1 << 16, 1 << 16, new byte[0]), false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> IdxImages.toNpy(huge, dir.resolve("a.npy"), 10));
    assertTrue(e.getMessage().contains("65536 x 65536 is out of range"), e.getMessage());
    Path empty = file("empty", idx(IdxImages.MAGIC_UBYTE_3D, 0, 2, 2, new byte[0]), false);
    assertThrows(
        IllegalArgumentException.class, () -> IdxImages.toNpy(empty, dir.resolve("b.npy"), 10));
    Path shortHeader = file("short", new byte[] {0, 0, 8, 3, 0, 0}, false);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IdxImages.toNpy(shortHeader, dir.resolve("c.npy"), 10));
    assertTrue(e.getMessage().contains("image count"), e.getMessage());
  }

  @Test
  void randomBytesGiveAClearErrorOrAValidArray() throws IOException {
    long seed = new Random().nextLong();
    System.out.println("IdxImagesTest seed " + seed);
    Random rnd = new Random(seed);
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[rnd.nextInt(40)];
      rnd.nextBytes(b);
      if (b.length >= 4 && rnd.nextBoolean()) {
        b[0] = 0;
        b[1] = 0;
        b[2] = 8;
        b[3] = 3;
      }
      Path in = file("r" + i, b, rnd.nextBoolean());
      Path out = dir.resolve("r" + i + ".npy");
      try {
        long n = IdxImages.toNpy(in, out, 4);
        try (NpyArray a = NpyArray.open(out)) {
          assertEquals(n, a.rows(), "seed " + seed + " bytes " + Arrays.toString(b));
        }
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().startsWith(in.toString()), e.getMessage());
        assertFalse(Files.exists(out), "seed " + seed);
      }
    }
  }
}
