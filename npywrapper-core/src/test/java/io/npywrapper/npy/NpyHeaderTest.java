package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.testing.Numpy;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyHeaderTest {
  @TempDir Path dir;

  @Test
  void headerBytesEqualNumpys() throws Exception {
    for (String python : Numpy.pythons()) {
      Numpy.run(
          python,
          "import numpy as np\nnp.save('a.npy', np.zeros((3, 4), dtype='<f4'))\n"
              + "np.save('b.npy', np.zeros((), dtype='>i8'))\n",
          dir);
      NpyHeader a = NpyHeader.of(DType.FLOAT32, false, 3, 4);
      assertPrefix(dir.resolve("a.npy"), a.encode(), python);
      assertEquals(Files.size(dir.resolve("a.npy")), a.fileSize());
      NpyHeader b = NpyHeader.of(DType.INT64.withOrder(ByteOrder.BIG_ENDIAN), false);
      assertPrefix(dir.resolve("b.npy"), b.encode(), python);
    }
  }

  private static void assertPrefix(Path file, byte[] ours, String python) throws Exception {
    byte[] theirs = Files.readAllBytes(file);
    assertEquals(
        new String(theirs, 0, ours.length, StandardCharsets.ISO_8859_1),
        new String(ours, StandardCharsets.ISO_8859_1),
        python);
  }
}
