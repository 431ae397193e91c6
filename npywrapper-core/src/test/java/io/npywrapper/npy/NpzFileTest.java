package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpzWriter.Compression;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Round trips through {@link NpzWriter} and {@link NpzFile}, and the writer's own rules. */
class NpzFileTest {
  private static final WriteOptions FAST = WriteOptions.DEFAULT.withoutSync();

  @TempDir Path dir;

  /** Writes the archive most tests use: a matrix, ids, a 0-d, an empty and a Fortran array. */
  static void writeSample(Path file, Compression c, boolean forceZip64) throws IOException {
    try (NpzWriter w = NpzWriter.create(file, c, FAST, forceZip64)) {
      float[] m = new float[12];
      for (int i = 0; i < m.length; i++) {
        m[i] = i;
      }
      w.add("vectors", m, 3, 4);
      w.add("ids", new long[] {-2, -1, 0, 1, 2}, 5);
      MemorySegment scalar = MemorySegment.ofArray(new byte[8]);
      scalar.set(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 2.5);
      w.add("scalar", NpyHeader.of(DType.FLOAT64, false), scalar);
      w.add("empty", new float[0], 0, 3);
      MemorySegment f = MemorySegment.ofArray(new byte[12 * 8]);
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
          ElementIO.writeDouble(f, DType.FLOAT64, (j * 3L + i) * 8, i * 4 + j);
        }
      }
      w.add("fortran", NpyHeader.of(DType.FLOAT64, true, 3, 4), f);
      MemorySegment be = MemorySegment.ofArray(new byte[16]);
      DType beInt = DType.INT32.withOrder(ByteOrder.BIG_ENDIAN);
      for (int i = 0; i < 4; i++) {
        ElementIO.writeLong(be, beInt, i * 4L, i + 1);
      }
      w.add("bigendian", NpyHeader.of(beInt, false, 4), be);
      w.add("名前", new long[] {7}, 1);
      float[] big = new float[300_000]; // larger than one 1 MiB buffer
      for (int i = 0; i < big.length; i++) {
        big[i] = i;
      }
      w.add("big", big, big.length);
      w.finish();
    }
  }

  static final List<String> SAMPLE_NAMES =
      List.of("vectors", "ids", "scalar", "empty", "fortran", "bigendian", "名前", "big");

  static void checkSample(NpzFile z) throws IOException {
    assertEquals(SAMPLE_NAMES, z.names());
    NpyArray v = z.get("vectors");
    assertEquals(DType.FLOAT32, v.dtype());
    assertArrayEquals(new long[] {3, 4}, v.shape());
    assertArrayEquals(new float[] {4, 5, 6, 7}, v.readRow(1));
    assertArrayEquals(new long[] {-2, -1, 0, 1, 2}, longs(z.get("ids")));
    NpyArray s = z.get("scalar");
    assertEquals(0, s.rank());
    assertEquals(2.5, s.getDouble());
    NpyArray e = z.get("empty");
    assertArrayEquals(new long[] {0, 3}, e.shape());
    assertEquals(0, e.size());
    NpyArray f = z.get("fortran");
    assertTrue(f.isFortranOrder());
    assertEquals(9.0, f.getDouble(2, 1));
    assertArrayEquals(new float[] {8, 9, 10, 11}, f.readRow(2));
    NpyArray be = z.get("bigendian");
    assertEquals(ByteOrder.BIG_ENDIAN, be.dtype().order());
    assertArrayEquals(new long[] {1, 2, 3, 4}, longs(be));
    assertEquals(7, z.get("名前").getLong(0));
    NpyArray big = z.get("big");
    assertEquals(299_999f, big.getFloat(299_999));
    assertEquals(123_456f, big.getFloat(123_456));
  }

  static long[] longs(NpyArray a) {
    long[] out = new long[(int) a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getLong(i);
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void roundTrip(Compression c) throws Exception {
    Path file = dir.resolve("sample.npz");
    writeSample(file, c, false);
    try (NpzFile z = NpzFile.open(file)) {
      checkSample(z);
      z.checkIntegrity();
      assertSame(z.get("vectors"), z.get("vectors"));
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void forcedZip64RecordsRoundTrip(Compression c) throws Exception {
    Path file = dir.resolve("zip64.npz");
    writeSample(file, c, true);
    ZipBytes zb = ZipBytes.read(file);
    int end = zb.eocd();
    assertEquals(ZipDirectory.ZIP64_LOCATOR_SIG, (int) zb.u32(end - 20));
    assertEquals(0xFFFFFFFFL, zb.u32(end + 16), "end record defers to the ZIP64 record");
    try (NpzFile z = NpzFile.open(file)) {
      checkSample(z);
      z.checkIntegrity();
    }
  }

  @Test
  void storedDataIsMappedInPlaceAndAligned() throws Exception {
    Path file = dir.resolve("s.npz");
    writeSample(file, Compression.STORED, false);
    ZipBytes zb = ZipBytes.read(file);
    for (int k = 0; k < SAMPLE_NAMES.size(); k++) {
      assertEquals(0, zb.dataStart(k) % 64, "member " + k + " starts on a 64-byte boundary");
    }
    try (NpzFile z = NpzFile.open(file)) {
      NpyArray v = z.get("vectors");
      assertTrue(v.data().isMapped());
      assertTrue(v.data().isReadOnly());
      assertEquals(0, v.data().address() % 64);
    }
  }

  @Test
  void deflatedMembersUseTemporaryFilesDeletedOnClose() throws Exception {
    Path file = dir.resolve("c.npz");
    writeSample(file, Compression.DEFLATED, false);
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    NpyArray big;
    try (NpzFile z = NpzFile.open(file, tmp)) {
      assertEquals(0, count(tmp), "nothing is inflated on open");
      big = z.get("big");
      z.get("ids");
      assertTrue(big.data().isMapped());
      assertEquals(2, count(tmp));
      big.close(); // no effect: the archive owns the mapping
      assertEquals(5f, big.getFloat(5));
    }
    assertEquals(0, count(tmp));
    assertThrows(IllegalStateException.class, () -> big.getFloat(5));
  }

  private static long count(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void unknownNamesAndClosedArchivesFailClearly() throws Exception {
    Path file = dir.resolve("s.npz");
    writeSample(file, Compression.STORED, false);
    NpzFile z = NpzFile.open(file);
    assertTrue(z.contains("ids"));
    assertFalse(z.contains("ids.npy"));
    NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> z.get("nope"));
    assertTrue(
        e.getMessage().contains("'nope'") && e.getMessage().contains("vectors"), e::getMessage);
    z.close();
    z.close();
    assertThrows(IllegalStateException.class, () -> z.get("ids"));
  }

  @Test
  void emptyArchive() throws Exception {
    Path file = dir.resolve("none.npz");
    try (NpzWriter w = NpzWriter.create(file, Compression.STORED, FAST)) {
      w.finish();
    }
    assertEquals(22, Files.size(file));
    try (NpzFile z = NpzFile.open(file)) {
      assertEquals(List.of(), z.names());
    }
  }

  @Test
  void nonArrayMembersAreNotListed() throws Exception {
    Path file = dir.resolve("mixed.npz");
    try (var zos = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      zos.putNextEntry(new java.util.zip.ZipEntry("dir/"));
      zos.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
      zos.write("hello".getBytes());
      zos.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
      NpyHeader h = NpyHeader.of(DType.INT8, false, 2);
      zos.write(h.encode());
      zos.write(new byte[] {5, 6});
    }
    try (NpzFile z = NpzFile.open(file)) {
      assertEquals(List.of("x"), z.names());
      assertEquals(6, z.get("x").getLong(1));
      z.checkIntegrity();
    }
  }

  // ------------------------------------------------------------------------ writer rules

  @Test
  void invalidNamesAreRejectedBeforeWriting() throws Exception {
    Path file = dir.resolve("n.npz");
    try (NpzWriter w = NpzWriter.create(file, Compression.STORED, FAST)) {
      w.add("a", new long[] {1}, 1);
      for (String bad : new String[] {"", "x/y", "a", "nul\0"}) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> w.add(bad, new long[] {1}, 1));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e::getMessage);
      }
      IllegalArgumentException size =
          assertThrows(IllegalArgumentException.class, () -> w.add("b", new long[] {1, 2}, 3));
      assertTrue(size.getMessage().contains("needs 24"), size::getMessage);
      w.add("c", new long[] {3}, 1); // the writer is still usable
      w.finish();
    }
    try (NpzFile z = NpzFile.open(file)) {
      assertEquals(List.of("a", "c"), z.names());
    }
  }

  @Test
  void closeWithoutFinishLeavesNothing() throws Exception {
    Path file = dir.resolve("abandoned.npz");
    try (NpzWriter w = NpzWriter.create(file, Compression.DEFLATED, FAST)) {
      w.add("a", new long[] {1, 2, 3}, 3);
    }
    assertFalse(Files.exists(file));
    assertEquals(0, count(dir), "no temporary file is left");
  }

  @Test
  void existingFilesAreNotOverwrittenUnlessAsked() throws Exception {
    Path file = dir.resolve("e.npz");
    Files.writeString(file, "keep");
    assertThrows(
        FileAlreadyExistsException.class,
        () -> NpzWriter.create(file, Compression.STORED, FAST).close());
    assertEquals("keep", Files.readString(file));
    try (NpzWriter w = NpzWriter.create(file, Compression.STORED, FAST.overwriting())) {
      w.add("a", new long[] {1}, 1);
      w.finish();
      assertThrows(IllegalStateException.class, () -> w.add("b", new long[] {1}, 1));
    }
    try (NpzFile z = NpzFile.open(file)) {
      assertEquals(List.of("a"), z.names());
    }
  }

  @Test
  void arraysCopyBetweenArchives() throws Exception {
    Path src = dir.resolve("src.npz");
    writeSample(src, Compression.DEFLATED, false);
    Path dst = dir.resolve("dst.npz");
    try (NpzFile in = NpzFile.open(src);
        NpzWriter w = NpzWriter.create(dst, Compression.STORED, FAST)) {
      for (String name : in.names()) {
        w.add(name, in.get(name));
      }
      w.finish();
    }
    try (NpzFile z = NpzFile.open(dst)) {
      checkSample(z);
    }
  }
}
