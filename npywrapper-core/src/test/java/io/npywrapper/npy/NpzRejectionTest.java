package io.npywrapper.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.npy.NpzWriter.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed archive fails with an {@link NpyFormatException} that names the file, the member
 * where there is one, and the problem. Archives are corrupted by editing their bytes.
 */
class NpzRejectionTest {
  private static final WriteOptions FAST = WriteOptions.DEFAULT.withoutSync();

  @TempDir Path dir;

  /** A two-member archive: "a" float32 (3, 4) and "b" int64 (5,). */
  private ZipBytes twoMembers(Compression c) throws IOException {
    Path file = dir.resolve("base-" + c + ".npz");
    if (!Files.exists(file)) {
      try (NpzWriter w = NpzWriter.create(file, c, FAST)) {
        w.add("a", new float[12], 3, 4);
        w.add("b", new long[] {1, 2, 3, 4, 5}, 5);
        w.finish();
      }
    }
    return ZipBytes.read(file);
  }

  /** Writes {@code bytes} as {@code bad.npz} and asserts that opening it fails as described. */
  private void assertOpenFails(ZipBytes bytes, String... fragments) throws IOException {
    Path file = dir.resolve("bad.npz");
    bytes.write(file);
    assertFails(file, () -> NpzFile.open(file).close(), fragments);
  }

  /** Asserts that reading every array of {@code bytes} fails as described. */
  private void assertGetFails(ZipBytes bytes, String name, String... fragments) throws IOException {
    Path file = dir.resolve("bad.npz");
    bytes.write(file);
    try (NpzFile z = NpzFile.open(file)) {
      assertFails(file, () -> z.get(name), fragments);
    }
  }

  private static void assertFails(Path file, Executable action, String... fragments) {
    NpyFormatException e = assertThrows(NpyFormatException.class, action);
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString()), () -> "names the file: " + m);
    for (String f : fragments) {
      assertTrue(m.contains(f), () -> "expected '" + f + "' in: " + m);
    }
  }

  @Test
  void notAZip() throws Exception {
    Path npy = dir.resolve("x.npy");
    NpyWriter.write(npy, new float[] {1, 2}, new long[] {2}, FAST);
    assertFails(npy, () -> NpzFile.open(npy), "not a zip archive");
    Path empty = Files.createFile(dir.resolve("empty.npz"));
    assertFails(empty, () -> NpzFile.open(empty), "not a zip archive", "shorter");
  }

  @Test
  void truncatedArchive() throws Exception {
    byte[] b = twoMembers(Compression.STORED).bytes;
    assertOpenFails(new ZipBytes(Arrays.copyOf(b, b.length / 2)), "truncated zip archive");
  }

  @Test
  void truncatedCentralDirectory() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    int end = zb.eocd();
    zb.put16(end + 8, 3).put16(end + 10, 3);
    assertOpenFails(zb, "truncated central directory", "3 entries");

    ZipBytes cut = twoMembers(Compression.STORED);
    cut.put32(cut.eocd() + 12, cut.u32(cut.eocd() + 12) + 40);
    assertOpenFails(cut, "truncated central directory");

    ZipBytes tooMany = twoMembers(Compression.STORED);
    tooMany.put16(tooMany.eocd() + 8, 900).put16(tooMany.eocd() + 10, 900);
    assertOpenFails(tooMany, "truncated central directory", "900 entries");
  }

  @Test
  void centralDirectoryOutsideTheFile() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    zb.put32(zb.eocd() + 16, 0x7FFF_FFF0L);
    assertOpenFails(zb, "central directory offset", "outside");
  }

  @Test
  void localHeaderOffsetOutsideTheFile() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    zb.put32(zb.central(1) + 42, zb.bytes.length + 100L);
    assertOpenFails(zb, "member 'b.npy'", "local header offset", "outside");
  }

  @Test
  void memberDataOutsideTheFile() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    int c = zb.central(0);
    zb.put32(c + 20, 0x7000_0000L).put32(c + 24, 0x7000_0000L);
    assertOpenFails(zb, "member 'a.npy'", "run past");
  }

  @Test
  void unsupportedCompressionMethod() throws Exception {
    ZipBytes zb = twoMembers(Compression.DEFLATED);
    zb.put16(zb.central(1) + 10, 12); // bzip2
    assertOpenFails(zb, "member 'b.npy'", "compression method 12");
  }

  @Test
  void encryptedEntries() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    zb.put16(zb.central(0) + 8, 1);
    assertOpenFails(zb, "member 'a.npy'", "encrypted");
    ZipBytes local = twoMembers(Compression.STORED);
    local.put16(local.local(1) + 6, 1);
    assertOpenFails(local, "member 'b.npy'", "encrypted");
  }

  @Test
  void duplicateNames() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    assertEquals(2, zb.replaceAll("b.npy", "a.npy"));
    assertOpenFails(zb, "duplicate member name 'a.npy'");
  }

  @Test
  void localHeaderNamingAnotherFile() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    zb.bytes[zb.local(1) + 30] = 'q';
    assertOpenFails(zb, "member 'b.npy'", "names a different file");
  }

  @Test
  void multiDiskArchives() throws Exception {
    ZipBytes zb = twoMembers(Compression.STORED);
    zb.put16(zb.eocd() + 4, 1);
    assertOpenFails(zb, "several disks");
  }

  @Test
  void zip64LocatorPointingOutsideTheFile() throws Exception {
    Path file = dir.resolve("z64.npz");
    NpzFileTest.writeSample(file, Compression.STORED, true);
    ZipBytes zb = ZipBytes.read(file);
    zb.put64(zb.eocd() - 20 + 8, 1L << 40);
    assertOpenFails(zb, "ZIP64 end-of-central-directory record offset", "outside");
    ZipBytes sig = ZipBytes.read(file);
    int record = (int) sig.u32(sig.eocd() - 20 + 8);
    sig.put32(record, 0);
    assertOpenFails(sig, "no ZIP64 end-of-central-directory record");
  }

  @Test
  void membersThatAreNotValidNpy() throws Exception {
    for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
      Path file = dir.resolve("garbage" + method + ".npz");
      writeZip(file, method, "x.npy", "this is not an array".getBytes());
      try (NpzFile z = NpzFile.open(file)) {
        assertFails(file, () -> z.get("x"), "member 'x.npy'", "bad magic");
        assertFails(file, z::checkIntegrity, "member 'x.npy'", "bad magic");
      }
      // A valid header whose shape needs more data than the member holds.
      NpyHeader h = NpyHeader.of(DType.FLOAT32, false, 10);
      Path shortFile = dir.resolve("short" + method + ".npz");
      writeZip(shortFile, method, "s.npy", Arrays.copyOf(h.encode(), (int) h.dataOffset() + 12));
      try (NpzFile z = NpzFile.open(shortFile)) {
        assertFails(shortFile, () -> z.get("s"), "member 's.npy'", "truncated data");
      }
    }
  }

  private static void writeZip(Path file, int method, String name, byte[] content)
      throws IOException {
    try (ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(file))) {
      ZipEntry e = new ZipEntry(name);
      e.setMethod(method);
      if (method == ZipEntry.STORED) {
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        e.setCrc(crc.getValue());
      }
      zos.putNextEntry(e);
      zos.write(content);
    }
  }

  // ------------------------------------------------------------------------ deflated members

  /** An archive with one deflated member "z": 100,000 zero floats, about 400 compressed bytes. */
  private ZipBytes zeros() throws IOException {
    Path file = dir.resolve("zeros.npz");
    if (!Files.exists(file)) {
      try (NpzWriter w = NpzWriter.create(file, Compression.DEFLATED, FAST)) {
        w.add("z", new float[100_000], 100_000);
        w.finish();
      }
    }
    return ZipBytes.read(file);
  }

  @Test
  void inflatingPastTheDeclaredSizeStops() throws Exception {
    ZipBytes zb = zeros();
    zb.put32(zb.central(0) + 24, 1000);
    assertGetFails(zb, "z", "member 'z.npy'", "more than the 1000 bytes", "zip bomb");
  }

  @Test
  void impossibleCompressionRatiosAreRejectedOnOpen() throws Exception {
    ZipBytes zb = zeros();
    zb.put32(zb.central(0) + 24, 0xF000_0000L);
    assertOpenFails(zb, "member 'z.npy'", "maximum ratio");
  }

  @Test
  void streamShorterThanDeclared() throws Exception {
    // The npy header agrees with the declared size, but the deflate stream ends early.
    NpyHeader h = NpyHeader.of(DType.FLOAT32, false, 10);
    Path file = dir.resolve("short.npz");
    writeZip(
        file, ZipEntry.DEFLATED, "s.npy", Arrays.copyOf(h.encode(), (int) h.dataOffset() + 12));
    ZipBytes zb = ZipBytes.read(file);
    zb.put32(zb.central(0) + 24, h.fileSize());
    assertGetFails(zb, "s", "member 's.npy'", "inflates to only", "declares " + h.fileSize());
  }

  @Test
  void crcMismatch() throws Exception {
    ZipBytes zb = zeros();
    zb.put32(zb.central(0) + 16, zb.u32(zb.central(0) + 16) ^ 1);
    assertGetFails(zb, "z", "member 'z.npy'", "CRC-32 mismatch");

    // Stored members are mapped without a check; checkIntegrity finds the damage.
    ZipBytes stored = twoMembers(Compression.STORED);
    stored.bytes[stored.dataStart(1) + 130] ^= 0x40;
    Path file = dir.resolve("flipped.npz");
    stored.write(file);
    try (NpzFile z = NpzFile.open(file)) {
      z.get("b");
      assertFails(file, z::checkIntegrity, "member 'b.npy'", "CRC-32 mismatch");
    }
  }

  @Test
  void corruptDeflateData() throws Exception {
    ZipBytes zb = zeros();
    zb.bytes[zb.dataStart(0)] = (byte) 0xFF; // block type 3 is invalid
    assertGetFails(zb, "z", "member 'z.npy'", "corrupt deflate data");
  }

  @Test
  void truncatedDeflateData() throws Exception {
    ZipBytes zb = twoMembers(Compression.DEFLATED);
    int c = zb.central(1);
    zb.put32(c + 20, zb.u32(c + 20) / 2);
    assertGetFails(zb, "b", "member 'b.npy'", "truncated deflate data");
  }

  @Test
  void noTemporaryFileSurvivesAFailedInflation() throws Exception {
    ZipBytes zb = zeros();
    zb.put32(zb.central(0) + 24, 1000);
    Path file = dir.resolve("bomb.npz");
    zb.write(file);
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    try (NpzFile z = NpzFile.open(file, tmp)) {
      assertThrows(NpyFormatException.class, () -> z.get("z"));
      try (var s = Files.list(tmp)) {
        assertEquals(0, s.count());
      }
    }
  }

  // ------------------------------------------------------------------------ fuzz

  /**
   * Random damage to small archives: each either still reads or fails with an NpyFormatException,
   * never another exception, a hang or a huge allocation.
   */
  @Test
  void randomDamageFailsCleanly() throws Exception {
    Random random = new Random(42);
    byte[][] bases = {
      twoMembers(Compression.STORED).bytes, twoMembers(Compression.DEFLATED).bytes,
    };
    Path file = dir.resolve("fuzz.npz");
    Path tmp = Files.createDirectory(dir.resolve("fuzz-tmp"));
    int intact = 0;
    int rejected = 0;
    for (int round = 0; round < 400; round++) {
      byte[] base = bases[round % 2];
      byte[] b =
          random.nextInt(8) == 0 ? Arrays.copyOf(base, random.nextInt(base.length)) : base.clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips && b.length > 0; i++) {
        int at = random.nextInt(b.length);
        b[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) 0xFF;
      }
      Files.write(file, b);
      try (NpzFile z = NpzFile.open(file, tmp)) {
        for (String name : z.names()) {
          NpyArray a = z.get(name);
          if (a.size() > 0 && a.dtype().isReal()) {
            a.getDouble(new long[a.rank()]);
          }
        }
        z.checkIntegrity();
        intact++; // the damage hit bytes nobody checks (timestamps, attributes, padding)
      } catch (NpyFormatException expected) {
        assertTrue(expected.getMessage().startsWith(file.toString()), expected::getMessage);
        rejected++;
      }
    }
    assertTrue(intact > 0 && rejected > 200, intact + " intact, " + rejected + " rejected");
    try (var s = Files.list(tmp)) {
      assertEquals(0, s.count());
    }
  }
}
