package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.npywrapper.testing.Seeds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes given to the header parser and to {@link NpyArray#open} must produce a header, an
 * array, or an {@link NpyFormatException} naming the source: never another exception, an
 * out-of-memory or a hang.
 *
 * <p>Under plain {@code mvn verify} the two {@link FuzzTest}s run as regression tests over the seed
 * inputs in {@code src/test/resources/io/npywrapper/npy/NpyHeaderFuzzTestInputs/} (Jazzer's
 * convention), which are exactly {@link #seeds()}: valid headers of each version, truncations, huge
 * header lengths and huge shapes; {@link #seedFilesAreTheSeeds} keeps them in step (run it with
 * {@code -Dnpyw.writeSeeds=<that directory>} to rewrite them). To fuzz for real, run with {@code
 * JAZZER_FUZZ=1}. {@link #mutatedHeadersOnlyFailCleanly} mutates the seeds with a seeded random so
 * that every build also tries a few thousand new inputs.
 */
class NpyHeaderFuzzTest {
  private static final String SOURCE = "fuzz input";
  private static final long MAX_ALLOCATION = 4 << 20;

  @FuzzTest(maxDuration = "5m")
  void parseHeader(byte[] data) {
    checkParse(data);
  }

  @FuzzTest(maxDuration = "5m")
  void openFile(byte[] data) throws IOException {
    Path f = Files.createTempFile("npyw-fuzz-", ".npy");
    try {
      Files.write(f, data);
      checkOpen(f);
    } finally {
      Files.delete(f);
    }
  }

  /**
   * Parses {@code data} with and without its length; anything but a header or our exception fails.
   */
  static void checkParse(byte[] data) {
    for (long size : new long[] {data.length, -1}) {
      try {
        NpyHeader h = NpyHeader.parse(ByteBuffer.wrap(data), size, SOURCE);
        checkAccepted(h, data, size);
      } catch (NpyFormatException e) {
        if (!e.getMessage().startsWith(SOURCE + ": ") || !SOURCE.equals(e.source())) {
          throw new AssertionError("message does not name the source: " + e.getMessage(), e);
        }
      }
    }
  }

  /** An accepted header must describe the bytes and survive writing and parsing again. */
  private static void checkAccepted(NpyHeader h, byte[] data, long size) throws NpyFormatException {
    assertTrue(h.dataOffset() <= data.length, "data offset inside the input");
    if (size >= 0) {
      assertEquals(data.length, h.fileSize(), "file size of an accepted header");
    }
    NpyHeader again = NpyHeader.of(h.dtype(), h.fortranOrder(), h.shape());
    NpyHeader parsed = NpyHeader.parse(ByteBuffer.wrap(again.encode()), -1, "re-encoded");
    assertEquals(h.dtype(), parsed.dtype());
    assertEquals(h.fortranOrder(), parsed.fortranOrder());
    assertArrayEquals(h.shape(), parsed.shape());
  }

  /** Opens {@code f}; an accepted array must also give its first and last elements. */
  static void checkOpen(Path f) throws IOException {
    try (NpyArray a = NpyArray.open(f)) {
      if (a.size() > 0) {
        touch(a, new long[a.rank()]);
        long[] last = a.shape();
        for (int i = 0; i < last.length; i++) {
          last[i]--;
        }
        touch(a, last);
      }
    } catch (NpyFormatException e) {
      if (!e.getMessage().startsWith(f + ": ")) {
        throw new AssertionError("message does not name the file: " + e.getMessage(), e);
      }
    }
  }

  private static void touch(NpyArray a, long[] idx) {
    switch (a.dtype().kind()) {
      case COMPLEX -> a.getImaginary(idx);
      case UNICODE, BYTES -> {
        try {
          a.getString(idx);
        } catch (IllegalArgumentException e) {
          // documented: a unicode element holding a code point above U+10FFFF
          assertTrue(e.getMessage().contains("invalid code point"), e.getMessage());
        }
      }
      default -> {
        a.getDouble(idx);
        if (a.rank() > 0 && a.rowLength() < 1 << 16) {
          a.readRow(idx[0]);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------- mutations

  @Test
  void mutatedHeadersOnlyFailCleanly() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            Seeds.run(
                0,
                rnd -> {
                  List<byte[]> corpus = new ArrayList<>(seeds().values());
                  Path f = Files.createTempFile("npyw-fuzz-", ".npy");
                  try {
                    for (int i = 0; i < 4000; i++) {
                      byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
                      try {
                        long before = allocatedBytes();
                        checkParse(input);
                        long allocated = allocatedBytes() - before;
                        if (i >= 500) { // after class loading and warm-up
                          assertTrue(allocated < MAX_ALLOCATION, allocated + " bytes allocated");
                        }
                        if (i % 8 == 0) {
                          Files.write(f, input);
                          checkOpen(f);
                        }
                      } catch (Throwable t) {
                        throw new AssertionError(
                            "input " + i + ": " + printable(input) + ": " + t, t);
                      }
                      if (corpus.size() < 400 && parses(input)) {
                        corpus.add(input);
                      }
                    }
                  } finally {
                    Files.deleteIfExists(f);
                  }
                }));
  }

  private static boolean parses(byte[] b) {
    try {
      NpyHeader.parse(ByteBuffer.wrap(b), -1, SOURCE);
      return true;
    } catch (NpyFormatException e) {
      return false;
    }
  }

  private static long allocatedBytes() {
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return bean.getCurrentThreadAllocatedBytes();
  }

  private static final String[] TOKENS = {
    "(",
    ")",
    ",",
    "'",
    "\"",
    "{",
    "}",
    ":",
    " ",
    "L",
    "-",
    "+",
    "0",
    "9",
    "\n",
    "\t",
    "[",
    "]",
    "'shape'",
    "'descr'",
    "'fortran_order'",
    "True",
    "False",
    "'<f4'",
    "'|O'",
    "'>U3'",
    "'<M8[s]'",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "4611686018427387904",
    "99999999999999999999999",
    "(1,)",
    "()",
    "(0, 4611686018427387904, 4611686018427387904)",
    "\u0662",
    "\u00e9",
    "\\",
    "#",
    "\u0000"
  };

  /** One to three random edits, after which the header length is repaired half of the time. */
  static byte[] mutate(byte[] base, Random rnd) {
    byte[] b = base.clone();
    int edits = 1 + rnd.nextInt(3);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = rnd.nextInt(b.length);
      b =
          switch (rnd.nextInt(8)) {
            case 0 -> {
              b[at] ^= (byte) (1 << rnd.nextInt(8));
              yield b;
            }
            case 1 -> {
              String special = "(),'\" -L9{}\n\u0080\u00ff\u0000";
              b[at] = (byte) special.charAt(rnd.nextInt(special.length()));
              yield b;
            }
            case 2 -> splice(b, at, 0, token(rnd));
            case 3 -> splice(b, at, Math.min(b.length - at, 1 + rnd.nextInt(8)), new byte[0]);
            case 4 -> Arrays.copyOf(b, at);
            case 5 -> splice(b, at, Math.min(b.length - at, rnd.nextInt(4)), token(rnd));
            case 6 -> setLength(b, rnd);
            default -> {
              if (b.length > 7) {
                // mostly a supported version, so the mutant still reaches the dict parser
                b[6] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 1 + rnd.nextInt(3));
                b[7] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(2) : 0);
              }
              yield b;
            }
          };
    }
    if (rnd.nextBoolean()) {
      repairLength(b);
    }
    return b;
  }

  private static byte[] token(Random rnd) {
    return TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }

  /** Writes an extreme or random header length into the length field. */
  private static byte[] setLength(byte[] b, Random rnd) {
    if (b.length < 12) {
      return b;
    }
    long[] choices = {0, 1, 0xFFFF, 10_000, 10_001, 0xFFFF_FFFFL, rnd.nextInt(200)};
    long len = choices[rnd.nextInt(choices.length)];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    if (b[6] == 1) {
      bb.putShort(8, (short) len);
    } else {
      bb.putInt(8, (int) len);
    }
    return b;
  }

  /** Sets the length field so that the header ends at the last newline, when there is one. */
  private static void repairLength(byte[] b) {
    if (b.length < 12 || (b[6] != 1 && b[6] != 2 && b[6] != 3)) {
      return;
    }
    int prefix = b[6] == 1 ? 10 : 12;
    int nl = -1;
    for (int i = b.length - 1; i >= prefix; i--) {
      if (b[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      return;
    }
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    if (prefix == 10) {
      bb.putShort(8, (short) (nl + 1 - prefix));
    } else {
      bb.putInt(8, nl + 1 - prefix);
    }
  }

  private static String printable(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      int v = x & 0xff;
      sb.append(v >= 0x20 && v < 0x7f ? String.valueOf((char) v) : String.format("\\x%02x", v));
    }
    return sb.toString();
  }

  // ----------------------------------------------------------------------------------- seeds

  /** The seed inputs by file name: the content of the Jazzer inputs directory. */
  static Map<String, byte[]> seeds() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    byte[] two = ArrayFixtures.floatsLE(1.5f, -2f);
    for (int v = 1; v <= 3; v++) {
      NpyHeader h = NpyHeader.of(DType.FLOAT32, false, 2).withVersion(v);
      s.put("valid-v" + v + "-f4", concat(h.encode(), two));
    }
    s.put("valid-0d-i8", file(NpyHeader.of(DType.parse(">i8"), false)));
    s.put("valid-empty-U3", file(NpyHeader.of(DType.parse("<U3"), false, 0, 3)));
    s.put("valid-fortran-c16", file(NpyHeader.of(DType.parse(">c16"), true, 2, 1, 3)));
    s.put("valid-S5", file(NpyHeader.of(DType.bytes(5), false, 4)));
    s.put("valid-b1", file(NpyHeader.of(DType.BOOL, false, 3, 3)));
    s.put("valid-f2-v3", file(NpyHeader.of(DType.FLOAT16, false, 5).withVersion(3)));
    s.put(
        "valid-python2",
        ArrayFixtures.rawNpy(
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2L,)}", 1, two));
    s.put(
        "valid-max-header",
        ArrayFixtures.rawNpy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}" + " ".repeat(9_800), 2, two));
    byte[] v1 = s.get("valid-v1-f4");
    s.put("truncated-prefix", Arrays.copyOf(v1, 7));
    s.put("truncated-length", Arrays.copyOf(v1, 9));
    s.put("truncated-header", Arrays.copyOf(v1, 40));
    s.put("truncated-data", Arrays.copyOf(v1, v1.length - 3));
    s.put("huge-header-v1", withLength(v1, 0xFFFF));
    s.put("huge-header-v2", withLength(s.get("valid-v2-f4"), 0xFFFF_FFFFL));
    s.put("header-10001", withLength(s.get("valid-v2-f4"), 10_001));
    s.put("bad-magic", concat("\u0093NUMPX".getBytes(StandardCharsets.ISO_8859_1), v1));
    String f4 = "'descr': '<f4', 'fortran_order': False, 'shape': ";
    s.put(
        "huge-shape-2pow62x8",
        ArrayFixtures.rawNpy("{" + f4 + "(4611686018427387904, 8), }", 1, two));
    s.put(
        "huge-shape-empty",
        ArrayFixtures.rawNpy(
            "{" + f4 + "(0, 4611686018427387904, 4611686018427387904), }", 1, new byte[0]));
    s.put(
        "huge-shape-long-max",
        ArrayFixtures.rawNpy("{" + f4 + "(9223372036854775807,), }", 3, two));
    s.put(
        "huge-dim-digits",
        ArrayFixtures.rawNpy("{" + f4 + "(" + "9".repeat(400) + ",), }", 2, two));
    s.put("many-dims", ArrayFixtures.rawNpy("{" + f4 + "(" + "1, ".repeat(2000) + "2), }", 2, two));
    s.put(
        "huge-unicode",
        ArrayFixtures.rawNpy(
            "{'descr': '<U268435456', 'fortran_order': False, 'shape': (1,), }", 1, two));
    s.put(
        "object",
        ArrayFixtures.rawNpy(
            "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 1, new byte[8]));
    s.put(
        "structured",
        ArrayFixtures.rawNpy(
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 1, two));
    s.put("negative", ArrayFixtures.rawNpy("{" + f4 + "(-2,), }", 1, two));
    s.put("unicode-v3", ArrayFixtures.rawNpy("{" + f4 + "(\u0662,), }", 3, two));
    return s;
  }

  private static byte[] file(NpyHeader h) {
    return concat(h.encode(), new byte[(int) h.dataBytes()]);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] withLength(byte[] file, long len) {
    byte[] b = file.clone();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    if (b[6] == 1) {
      bb.putShort(8, (short) len);
    } else {
      bb.putInt(8, (int) len);
    }
    return b;
  }

  @Test
  void seedFilesAreTheSeeds() throws IOException, URISyntaxException {
    String write = System.getProperty("npyw.writeSeeds");
    if (write != null) {
      Path out = Files.createDirectories(Path.of(write));
      for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
        Files.write(out.resolve(e.getKey()), e.getValue());
      }
    }
    var url = getClass().getResource(getClass().getSimpleName() + "Inputs");
    if (url == null) {
      fail("no seed inputs directory; write it with -Dnpyw.writeSeeds=<dir>");
    }
    Path inputs = Path.of(url.toURI());
    Map<String, byte[]> seeds = seeds();
    try (Stream<Path> files = Files.list(inputs)) {
      assertEquals(
          seeds.keySet().stream().sorted().toList(),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(inputs.resolve(e.getKey())), e.getKey());
      checkParse(e.getValue());
    }
  }
}
