package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files the codec must refuse, each with an {@link NpyFormatException} that names the file and the
 * problem; and writes that fail, which must leave an existing file as it was and no temporary file.
 */
class NpyRejectionTest {
  private static final WriteOptions NO_SYNC = WriteOptions.DEFAULT.withoutSync();
  private static final String F4 = "'descr': '<f4', 'fortran_order': False, ";
  private static final byte[] TWO = ArrayFixtures.floatsLE(1.5f, -2f);

  @TempDir Path dir;

  private static Arguments bad(String name, byte[] file, String problem) {
    return Arguments.of(name, file, problem);
  }

  private static Arguments badDict(String name, String dict, String problem) {
    return bad(name, ArrayFixtures.rawNpy(dict, 1, TWO), problem);
  }

  private static byte[] valid() {
    return ArrayFixtures.rawNpy("{" + F4 + "'shape': (2,), }", 1, TWO);
  }

  /** A valid file with bytes {@code at..} replaced. */
  private static byte[] patched(int at, int... bytes) {
    byte[] b = valid();
    for (int i = 0; i < bytes.length; i++) {
      b[at + i] = (byte) bytes[i];
    }
    return b;
  }

  /** A version 2.0 prefix declaring {@code headerLen} header bytes, then a little text. */
  private static byte[] v2Prefix(long headerLen) {
    return ByteBuffer.allocate(64)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(NpyHeader.MAGIC)
        .put((byte) 2)
        .put((byte) 0)
        .putInt((int) headerLen)
        .put("{'descr': '<f4'".getBytes())
        .array();
  }

  static Stream<Arguments> badFiles() {
    byte[] v = valid();
    return Stream.of(
        bad("empty", new byte[0], "truncated header: 0 bytes"),
        bad("short-prefix", Arrays.copyOf(v, 5), "truncated header: 5 bytes"),
        bad("v1-no-length", Arrays.copyOf(v, 9), "version 1.0 needs a 10-byte prefix"),
        bad("v2-no-length", Arrays.copyOf(v2Prefix(100), 10), "version 2.0 needs a 12-byte prefix"),
        bad("bad-magic", patched(1, 'n'), "bad magic: expected \\x93NUMPY, found \\x93nUMPY"),
        bad("zip-not-npy", patched(0, 'P', 'K', 3, 4), "bad magic"),
        bad("version-4.0", patched(6, 4, 0), "unknown format version 4.0"),
        bad("version-1.1", patched(6, 1, 1), "unknown format version 1.1"),
        bad("version-0.0", patched(6, 0, 0), "unknown format version 0.0"),
        bad(
            "truncated-header",
            Arrays.copyOf(v, 40),
            "truncated header: it declares 128 bytes but the file holds 40"),
        bad("truncated-data", Arrays.copyOf(v, v.length - 1), "truncated data"),
        bad(
            "too-long",
            Arrays.copyOf(v, v.length + 4),
            "file is longer than its shape says: shape (2,) of <f4 needs 8 bytes"),
        bad("header-10001", v2Prefix(10_001), "header length 10001 exceeds numpy's limit"),
        bad("header-4g", v2Prefix(0xFFFF_FFFFL), "header length 4294967295 exceeds"),
        bad(
            "object",
            ArrayFixtures.rawNpy(
                "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 1, new byte[8]),
            "object arrays ('|O') are not supported"),
        badDict(
            "structured",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
            "structured dtypes (a list as 'descr') are not supported"),
        badDict(
            "datetime",
            "{'descr': '<M8[s]', 'fortran_order': False, 'shape': (1,), }",
            "datetime dtype '<M8[s]' is not supported"),
        badDict(
            "unknown-dtype",
            "{'descr': '<x4', 'fortran_order': False, 'shape': (2,), }",
            "unknown dtype descr '<x4'"),
        badDict(
            "float3", "{'descr': '<f3', 'fortran_order': False, 'shape': (2,), }", "item size 3"),
        badDict(
            "unicode-0",
            "{'descr': '<U0', 'fortran_order': False, 'shape': (0,), }",
            "string length 0"),
        badDict(
            "overflow-2^62x8",
            "{" + F4 + "'shape': (4611686018427387904, 8), }",
            "shape (4611686018427387904, 8) of <f4 overflows"),
        badDict(
            "overflow-bytes",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952, 4), }",
            "overflows"),
        badDict(
            "overflow-empty",
            "{" + F4 + "'shape': (0, 4611686018427387904, 4611686018427387904), }",
            "shape (0, 4611686018427387904, 4611686018427387904) of <f4 overflows"),
        badDict("dim-over-64-bits", "{" + F4 + "'shape': (99999999999999999999,), }", "64 bits"),
        badDict(
            "negative-dim", "{" + F4 + "'shape': (2, -1), }", "dimension 1 of 'shape' is negative"),
        badDict("leading-zero", "{" + F4 + "'shape': (02,), }", "leading zero"),
        badDict(
            "missing-key",
            "{'descr': '<f4', 'shape': (2,), }",
            "header dict lacks 'fortran_order'"),
        badDict("missing-all", "{}", "header dict lacks 'descr', 'fortran_order', 'shape'"),
        badDict(
            "extra-key",
            "{" + F4 + "'shape': (2,), 'extra': 1}",
            "unexpected key 'extra': a header has exactly 'descr', 'fortran_order' and 'shape'"),
        badDict(
            "duplicate-key",
            "{" + F4 + "'shape': (2,), 'shape': (2,)}",
            "key 'shape' appears twice"),
        badDict("shape-int", "{" + F4 + "'shape': 2}", "expected '('"),
        badDict("shape-list", "{" + F4 + "'shape': [2]}", "expected '('"),
        badDict("shape-parens", "{" + F4 + "'shape': (2)}", "'shape' (2) is a number, not a tuple"),
        badDict("shape-float", "{" + F4 + "'shape': (2.0,)}", "expected ',' or ')' in 'shape'"),
        badDict(
            "fortran-int",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
            "expected True or False for 'fortran_order'"),
        badDict("trailing-text", "{" + F4 + "'shape': (2,)} x", "unexpected text after"),
        badDict("not-a-dict", "['descr', '<f4']", "expected '{'"),
        badDict("unterminated", "{'descr: '<f4', 'fortran_order': False}", "expected ':'"),
        badDict("escape", "{'descr': '<f\\x34', 'fortran_order': False}", "escape sequences"),
        bad(
            "unicode-digit",
            ArrayFixtures.rawNpy("{" + F4 + "'shape': (\u0662,), }", 3, TWO),
            "expected an integer for dimension 0 of 'shape'"),
        bad(
            "python2-long-in-v3",
            ArrayFixtures.rawNpy("{" + F4 + "'shape': (2L,), }", 3, TWO),
            "expected ',' or ')' in 'shape', found 'L"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void openRefusesWithFileAndProblem(String name, byte[] bytes, String problem) throws IOException {
    Path file = dir.resolve(name + ".npy");
    Files.write(file, bytes);
    NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyArray.open(file));
    assertEquals(file.toString(), e.source());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(
        e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void parseRefusesTheSameBytes(String name, byte[] bytes, String problem) {
    NpyFormatException e =
        assertThrows(
            NpyFormatException.class,
            () -> NpyHeader.parse(ByteBuffer.wrap(bytes), bytes.length, "bytes of " + name));
    assertTrue(e.getMessage().startsWith("bytes of " + name + ": "), e.getMessage());
  }

  @Test
  void headerOfRefusesWhatParseRefuses() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> NpyHeader.of(DType.FLOAT32, false, -1));
    assertThrows(
        IllegalArgumentException.class, () -> NpyHeader.of(DType.FLOAT32, false, 1L << 62, 8));
    assertThrows(
        IllegalArgumentException.class,
        () -> NpyHeader.of(DType.FLOAT32, false, 0, 1L << 62, 1L << 62));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            NpyStreamWriter.create(
                dir.resolve("x.npy"), DType.FLOAT32, new long[] {1L << 62, 1L << 62}, NO_SYNC));
    assertEquals(List.of(), list());
  }

  // ------------------------------------------------------------------------------ failed writes

  private Path existing() throws IOException {
    Path f = dir.resolve("existing.npy");
    NpyWriter.write(f, new float[] {1, 2, 3}, new long[] {3}, NO_SYNC);
    return f;
  }

  private List<String> list() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeOverAnExistingFileWithoutOverwriteChangesNothing() throws IOException {
    Path f = existing();
    byte[] before = Files.readAllBytes(f);
    NpyHeader h = NpyHeader.of(DType.INT8, false, 4);
    assertThrows(
        FileAlreadyExistsException.class,
        () -> NpyWriter.write(f, h, MemorySegment.ofArray(new byte[4]), NO_SYNC));
    assertThrows(
        FileAlreadyExistsException.class,
        () -> NpyWriter.write(f, new float[] {9}, new long[] {1}, NO_SYNC));
    assertThrows(
        FileAlreadyExistsException.class,
        () -> NpyStreamWriter.create(f, DType.FLOAT32, new long[] {2}, NO_SYNC));
    assertArrayEquals(before, Files.readAllBytes(f));
    assertEquals(List.of("existing.npy"), list());
  }

  @Test
  void writeWithTheWrongDataSizeChangesNothing() throws IOException {
    Path f = existing();
    byte[] before = Files.readAllBytes(f);
    WriteOptions overwrite = NO_SYNC.overwriting();
    NpyHeader h = NpyHeader.of(DType.FLOAT32, false, 2, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NpyWriter.write(f, h, MemorySegment.ofArray(new byte[15]), overwrite));
    assertTrue(e.getMessage().contains("data holds 15 bytes"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> NpyWriter.write(f, new float[] {1, 2, 3}, new long[] {2, 2}, overwrite));
    assertThrows(
        IllegalArgumentException.class,
        () -> NpyWriter.write(f, new float[][] {{1, 2}, {3}}, overwrite));
    assertArrayEquals(before, Files.readAllBytes(f));
    assertEquals(List.of("existing.npy"), list());
  }

  @Test
  void streamWhoseTargetAppearsMeanwhileLeavesThatFileAlone() throws IOException {
    Path f = dir.resolve("late.npy");
    NpyStreamWriter w = NpyStreamWriter.create(f, DType.FLOAT32, new long[] {2}, NO_SYNC);
    try (w) {
      w.appendRow(new float[] {1, 2});
      NpyWriter.write(f, new float[] {7}, new long[] {1}, NO_SYNC);
      byte[] other = Files.readAllBytes(f);
      assertThrows(FileAlreadyExistsException.class, w::finish);
      assertArrayEquals(other, Files.readAllBytes(f));
      assertThrows(IllegalStateException.class, () -> w.appendRow(new float[] {3, 4}));
    }
    assertEquals(List.of("late.npy"), list());
  }

  @Test
  void overwriteReplacesTheFile() throws IOException {
    Path f = existing();
    NpyWriter.write(f, new float[] {5, 6}, new long[] {2}, NO_SYNC.overwriting());
    try (NpyArray a = NpyArray.open(f)) {
      assertArrayEquals(new long[] {2}, a.shape());
      assertEquals(5f, a.getFloat(0));
      assertEquals(6f, a.getFloat(1));
    }
    assertEquals(List.of("existing.npy"), list());
  }
}
