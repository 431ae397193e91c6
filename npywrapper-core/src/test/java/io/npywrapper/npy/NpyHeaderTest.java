package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.Numpy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void nativeAndMissingByteOrderAreTheMachines() {
    ByteOrder nat = ByteOrder.nativeOrder();
    for (String code : new String[] {"i8", "u2", "f4", "c16"}) {
      DType expected = DType.parse("<" + code).withOrder(nat);
      assertEquals(expected, DType.parse("=" + code), "=" + code);
      assertEquals(expected, DType.parse("|" + code), "|" + code);
      assertEquals(expected, DType.parse(code), code);
    }
    assertEquals(DType.unicode(3, nat), DType.parse("=U3"));
    assertEquals(DType.BOOL, DType.parse("=?"));
    assertEquals(DType.BOOL, DType.parse("<b1"));
    assertEquals(DType.bytes(4), DType.parse("=S4"));
    assertEquals(DType.bytes(4), DType.parse("a4"));
  }

  @Test
  void everyDescrRoundTrips() {
    for (DType t : ArrayFixtures.allDTypes()) {
      assertEquals(t, DType.parse(t.descr()), t.descr());
      assertEquals(t, DType.fromName(t.descr()), t.descr());
    }
    assertEquals(DType.FLOAT32, DType.fromName("float32"));
    assertEquals(DType.FLOAT16, DType.fromName(" Half "));
    assertEquals("str320", DType.parse("<U10").name());
    assertEquals("|b1", DType.BOOL.withOrder(ByteOrder.BIG_ENDIAN).descr());
    assertEquals("|S5", DType.bytes(5).withOrder(ByteOrder.BIG_ENDIAN).descr());
    assertEquals(">U2", DType.unicode(2, ByteOrder.BIG_ENDIAN).descr());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "<",
        "<f",
        "<f3",
        "<i16",
        "<c4",
        "<b2",
        "<U0",
        "<U268435457",
        "<S0",
        "<x4",
        "|O",
        "|O8",
        "<M8[s]",
        "<m8",
        "|V8",
        "<f\u0664",
        "<U\u0661",
        "<f 4",
        "<f+4",
        "<f99999999999"
      })
  void unsupportedDescrsAreRefused(String descr) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DType.parse(descr));
    assertTrue(e.getMessage().contains("'" + descr + "'") || descr.isEmpty(), e.getMessage());
  }

  @Test
  void dataStartsOn64BytesInEveryVersion() {
    for (int v = 1; v <= 3; v++) {
      for (long[] shape : new long[][] {{}, {0}, {7}, {123456789, 3}, {1, 2, 3, 4, 5, 6}}) {
        for (boolean fortran : new boolean[] {false, true}) {
          NpyHeader h = NpyHeader.of(DType.COMPLEX128, fortran, shape).withVersion(v);
          byte[] b = h.encode();
          assertEquals(h.dataOffset(), b.length);
          assertEquals(0, b.length % 64, h.toString());
          assertEquals('\n', b[b.length - 1]);
          assertEquals(v, b[6]);
          assertEquals(v + ".0", h.version());
        }
      }
    }
  }

  @Test
  void theGrowthAxisCanGrowTo21DigitsInPlace() {
    NpyHeader c = NpyHeader.of(DType.FLOAT32, false, 0, 768);
    assertEquals(
        c.dataOffset(),
        NpyHeader.of(DType.FLOAT32, false, Long.MAX_VALUE / 4096, 768).dataOffset());
    NpyHeader f = NpyHeader.of(DType.FLOAT32, true, 768, 0);
    assertEquals(
        f.dataOffset(), NpyHeader.of(DType.FLOAT32, true, 768, Long.MAX_VALUE / 4096).dataOffset());
    assertEquals(c.withVersion(2), c.withVersion(2).withShape(5, 768).withShape(0, 768));
    assertEquals(2, c.withVersion(2).withShape(5, 768).majorVersion());
  }

  @Test
  void aHeaderTooLongForVersion1IsWrittenAs2() {
    long[] shape = new long[30_000];
    java.util.Arrays.fill(shape, 1);
    NpyHeader h = NpyHeader.of(DType.INT8, false, shape);
    assertEquals("2.0", h.version());
    assertThrows(IllegalArgumentException.class, () -> h.withVersion(1));
    assertThrows(IllegalArgumentException.class, () -> h.withVersion(4));
    assertThrows(IllegalArgumentException.class, () -> h.withVersion(0));
  }

  @Test
  void parseReadsWhatEncodeWrites() throws Exception {
    NpyHeader h = NpyHeader.of(DType.parse(">U7"), true, 3, 0, 2).withVersion(3);
    NpyHeader p = NpyHeader.parse(ByteBuffer.wrap(h.encode()), h.fileSize(), "x");
    assertEquals(h, p);
    assertArrayEquals(new long[] {3, 0, 2}, p.shape());
    assertEquals(0, p.dataBytes());
    assertEquals("()", NpyHeader.shapeString(new long[0]));
    assertEquals("(5,)", NpyHeader.shapeString(new long[] {5}));
    assertEquals("(3, 4)", NpyHeader.shapeString(new long[] {3, 4}));
  }
}
