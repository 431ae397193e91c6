package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.testing.Numpy;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends of every size and kind of segment land in order, whichever path each one takes. */
class NpyStreamWriterAppendTest {
  private static final int DIM = 96; // 384-byte rows
  private static final int ROW_BYTES = DIM * Float.BYTES;

  @TempDir Path dir;

  @Test
  void mixedAppendsKeepOrderAndBytes() throws Exception {
    Random random = new Random(42);
    int direct = NpyStreamWriter.DIRECT_APPEND_BYTES / ROW_BYTES + 1; // just over the threshold
    int[] rowsPerAppend = {1, 3, direct, 2, direct * 3, 1, 12_000, 5, direct - 1};
    Path file = dir.resolve("mixed.npy");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (Arena arena = Arena.ofConfined();
        NpyStreamWriter w =
            NpyStreamWriter.createFloat32(file, DIM, WriteOptions.DEFAULT.withoutSync())) {
      for (int i = 0; i < rowsPerAppend.length; i++) {
        byte[] bytes = new byte[rowsPerAppend[i] * ROW_BYTES];
        random.nextBytes(bytes);
        expected.writeBytes(bytes);
        MemorySegment seg;
        if (i % 2 == 0) { // off-heap
          seg = arena.allocate(bytes.length);
          MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        } else { // on-heap
          seg = MemorySegment.ofArray(bytes);
        }
        w.append(seg);
      }
      w.finish();
    }
    byte[] want = expected.toByteArray();
    try (NpyArray a = NpyArray.open(file)) {
      assertEquals(want.length / ROW_BYTES, a.rows());
      assertArrayEquals(want, a.data().toArray(ValueLayout.JAVA_BYTE));
    }
    for (String python : Numpy.pythons()) {
      String out =
          Numpy.run(
              python,
              "import numpy as np, zlib\na = np.load('mixed.npy')\n"
                  + "print(a.shape[0], a.shape[1], zlib.crc32(a.tobytes()))\n",
              dir);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(want);
      assertEquals(want.length / ROW_BYTES + " " + DIM + " " + crc.getValue(), out.trim(), python);
    }
  }
}
