package io.npywrapper.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the table of contents of a ZIP archive: the end-of-central-directory record (and its ZIP64
 * locator and record), the central directory with ZIP64 extra fields, and each member's local
 * header, to learn where every member's bytes lie. It reads the single-disk subset that numpy's
 * {@code savez} and {@code savez_compressed} write (through Python's {@code zipfile}): members
 * stored or deflated, unencrypted, uniquely named, and the central directory immediately before the
 * end record. Everything else is rejected with an {@link NpyFormatException} naming the archive,
 * the member and the problem.
 *
 * <p>No size or count read from the file is trusted for an allocation: the central directory is
 * read only after its extent has been checked against the file's length. Stateless and thread-safe.
 */
final class ZipDirectory {
  static final int LOCAL_HEADER_SIG = 0x04034b50;
  static final int CENTRAL_HEADER_SIG = 0x02014b50;
  static final int END_SIG = 0x06054b50;
  static final int ZIP64_END_SIG = 0x06064b50;
  static final int ZIP64_LOCATOR_SIG = 0x07064b50;

  static final int LOCAL_HEADER_LENGTH = 30;
  static final int CENTRAL_HEADER_LENGTH = 46;
  static final int END_LENGTH = 22;
  static final int ZIP64_END_LENGTH = 56;
  static final int ZIP64_LOCATOR_LENGTH = 20;

  static final int ZIP64_EXTRA_ID = 0x0001;
  static final int METHOD_STORED = 0;
  static final int METHOD_DEFLATED = 8;
  private static final int METHOD_AES = 99;
  static final int FLAG_ENCRYPTED = 0x1;
  private static final int FLAG_STRONG_ENCRYPTION = 0x40;
  static final int FLAG_UTF8 = 0x800;

  /** The value a 32-bit field holds when the real one is in the ZIP64 extra field. */
  static final long U32_SENTINEL = 0xFFFFFFFFL;

  static final int U16_SENTINEL = 0xFFFF;
  private static final int MAX_COMMENT = 0xFFFF;

  /** Deflate cannot expand data by more than this ratio (258-byte matches in 2 bits each). */
  static final long MAX_DEFLATE_RATIO = 1032;

  private static final Charset LEGACY_NAMES =
      Charset.isSupported("IBM437") ? Charset.forName("IBM437") : StandardCharsets.ISO_8859_1;

  /**
   * One member of an archive.
   *
   * @param name the full member name, e.g. {@code vectors.npy}
   * @param method {@link #METHOD_STORED} or {@link #METHOD_DEFLATED}
   * @param crc the CRC-32 of the uncompressed bytes, as the central directory declares it
   * @param compressedSize bytes of member data in the archive
   * @param size bytes of the member once uncompressed
   * @param dataStart archive offset of the member's first data byte
   */
  record Entry(String name, int method, long crc, long compressedSize, long size, long dataStart) {}

  private ZipDirectory() {}

  /** Reads the members of the archive open on {@code ch}, in central directory order. */
  static List<Entry> read(FileChannel ch, String source) throws IOException {
    long fileSize = ch.size();
    if (fileSize < END_LENGTH) {
      throw new NpyFormatException(
          source,
          "not a zip archive: "
              + fileSize
              + " bytes is shorter than the 22-byte end-of-central-directory record");
    }
    End end = readEnd(ch, fileSize, source);
    if (end.cdOffset < 0 || end.cdSize < 0 || end.cdOffset > end.directoryEnd) {
      throw new NpyFormatException(
          source,
          "central directory offset "
              + Long.toUnsignedString(end.cdOffset)
              + " is outside the "
              + end.directoryEnd
              + " bytes before the end record");
    }
    long expected = end.directoryEnd - end.cdOffset;
    if (end.cdSize != expected) {
      throw new NpyFormatException(
          source,
          (end.cdSize > expected ? "truncated central directory: " : "corrupt central directory: ")
              + "the end record declares "
              + Long.toUnsignedString(end.cdSize)
              + " bytes at offset "
              + end.cdOffset
              + ", but "
              + expected
              + " bytes lie between that offset and the end record");
    }
    if (expected > Integer.MAX_VALUE - 8) {
      throw new NpyFormatException(
          source, "central directory of " + expected + " bytes is too large to read");
    }
    if (end.entries < 0 || end.entries > expected / CENTRAL_HEADER_LENGTH) {
      throw new NpyFormatException(
          source,
          "truncated central directory: "
              + Long.toUnsignedString(end.entries)
              + " entries need at least "
              + CENTRAL_HEADER_LENGTH
              + " bytes each, the directory holds "
              + expected);
    }
    ByteBuffer cd = readExactly(ch, end.cdOffset, (int) expected, source, "central directory");
    List<Central> centrals = parseCentral(cd, (int) end.entries, source);
    List<Entry> entries = new ArrayList<>(centrals.size());
    for (Central c : centrals) {
      entries.add(locate(ch, c, end.cdOffset, source));
    }
    return entries;
  }

  // ------------------------------------------------------------------------ end records

  /** What the end records say: where the central directory is and where it must end. */
  private record End(long entries, long cdSize, long cdOffset, long directoryEnd) {}

  private static End readEnd(FileChannel ch, long fileSize, String source) throws IOException {
    int tailLength = (int) Math.min(fileSize, END_LENGTH + MAX_COMMENT);
    long tailStart = fileSize - tailLength;
    ByteBuffer tail = readExactly(ch, tailStart, tailLength, source, "end of file");
    int at = -1;
    for (int p = tailLength - END_LENGTH; p >= 0; p--) {
      if (tail.getInt(p) == END_SIG && p + END_LENGTH + u16(tail, p + 20) <= tailLength) {
        at = p;
        break;
      }
    }
    if (at < 0) {
      ByteBuffer head = readExactly(ch, 0, 4, source, "start of file");
      throw new NpyFormatException(
          source,
          head.getInt(0) == LOCAL_HEADER_SIG
              ? "truncated zip archive: it starts like one but has no end-of-central-directory"
                  + " record in its last "
                  + tailLength
                  + " bytes"
              : "not a zip archive: no end-of-central-directory record in its last "
                  + tailLength
                  + " bytes");
    }
    long endOffset = tailStart + at;
    int disk = u16(tail, at + 4);
    int cdDisk = u16(tail, at + 6);
    long diskEntries = u16(tail, at + 8);
    long entries = u16(tail, at + 10);
    long cdSize = u32(tail, at + 12);
    long cdOffset = u32(tail, at + 16);
    long directoryEnd = endOffset;
    if (endOffset >= ZIP64_LOCATOR_LENGTH) {
      ByteBuffer loc =
          readExactly(
              ch,
              endOffset - ZIP64_LOCATOR_LENGTH,
              ZIP64_LOCATOR_LENGTH,
              source,
              "ZIP64 end locator");
      if (loc.getInt(0) == ZIP64_LOCATOR_SIG) {
        long recordOffset = loc.getLong(8);
        if (loc.getInt(4) != 0 || Integer.toUnsignedLong(loc.getInt(16)) > 1) {
          throw multiDisk(source);
        }
        long limit = endOffset - ZIP64_LOCATOR_LENGTH - ZIP64_END_LENGTH;
        if (recordOffset < 0 || recordOffset > limit) {
          throw new NpyFormatException(
              source,
              "ZIP64 end-of-central-directory record offset "
                  + Long.toUnsignedString(recordOffset)
                  + " is outside the file (at most "
                  + limit
                  + ")");
        }
        ByteBuffer z64 =
            readExactly(ch, recordOffset, ZIP64_END_LENGTH, source, "ZIP64 end record");
        if (z64.getInt(0) != ZIP64_END_SIG) {
          throw new NpyFormatException(
              source,
              "no ZIP64 end-of-central-directory record at offset "
                  + recordOffset
                  + " where the ZIP64 locator points");
        }
        disk = z64.getInt(16);
        cdDisk = z64.getInt(20);
        diskEntries = z64.getLong(24);
        entries = z64.getLong(32);
        cdSize = z64.getLong(40);
        cdOffset = z64.getLong(48);
        directoryEnd = recordOffset;
      }
    }
    if (disk != 0 || cdDisk != 0 || diskEntries != entries) {
      throw multiDisk(source);
    }
    return new End(entries, cdSize, cdOffset, directoryEnd);
  }

  private static NpyFormatException multiDisk(String source) {
    return new NpyFormatException(
        source, "archives that span several disks are not supported (the records name disks > 0)");
  }

  // ------------------------------------------------------------------------ central directory

  /** A central directory entry before its local header has been read. */
  private record Central(
      String name,
      byte[] rawName,
      int method,
      long crc,
      long compressedSize,
      long size,
      long headerOffset) {}

  private static List<Central> parseCentral(ByteBuffer cd, int count, String source)
      throws NpyFormatException {
    List<Central> out = new ArrayList<>(count);
    Set<String> seen = new HashSet<>();
    int p = 0;
    for (int i = 0; i < count; i++) {
      requireCentral(cd, p, CENTRAL_HEADER_LENGTH, i, count, source);
      if (cd.getInt(p) != CENTRAL_HEADER_SIG) {
        throw new NpyFormatException(
            source,
            "corrupt central directory: entry " + i + " at directory byte " + p + " has no magic");
      }
      int flags = u16(cd, p + 8);
      int method = u16(cd, p + 10);
      long crc = u32(cd, p + 16);
      long compressed = u32(cd, p + 20);
      long size = u32(cd, p + 24);
      int nameLength = u16(cd, p + 28);
      int extraLength = u16(cd, p + 30);
      int commentLength = u16(cd, p + 32);
      int diskStart = u16(cd, p + 34);
      long offset = u32(cd, p + 42);
      int total = CENTRAL_HEADER_LENGTH + nameLength + extraLength + commentLength;
      requireCentral(cd, p, total, i, count, source);
      byte[] rawName = new byte[nameLength];
      cd.get(p + CENTRAL_HEADER_LENGTH, rawName);
      String name =
          new String(rawName, (flags & FLAG_UTF8) != 0 ? StandardCharsets.UTF_8 : LEGACY_NAMES);
      String member = "member '" + name + "'";
      // ZIP64 extra: the 64-bit values of exactly those fields whose 32-bit value is the sentinel.
      int x = p + CENTRAL_HEADER_LENGTH + nameLength;
      int xEnd = x + extraLength;
      while (xEnd - x >= 4) {
        int id = u16(cd, x);
        int len = u16(cd, x + 2);
        if (len > xEnd - x - 4) {
          throw new NpyFormatException(
              source,
              member
                  + ": corrupt extra field 0x"
                  + Integer.toHexString(id)
                  + " of "
                  + len
                  + " bytes");
        }
        if (id == ZIP64_EXTRA_ID) {
          int f = x + 4;
          int fEnd = f + len;
          if (size == U32_SENTINEL) {
            size = zip64Field(cd, f, fEnd, member, "size", source);
            f += 8;
          }
          if (compressed == U32_SENTINEL) {
            compressed = zip64Field(cd, f, fEnd, member, "compressed size", source);
            f += 8;
          }
          if (offset == U32_SENTINEL) {
            offset = zip64Field(cd, f, fEnd, member, "local header offset", source);
            f += 8;
          }
          if (diskStart == U16_SENTINEL && fEnd - f >= 4) {
            diskStart = cd.getInt(f);
          }
        }
        x += 4 + len;
      }
      if (diskStart != 0) {
        throw multiDisk(source);
      }
      if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0 || method == METHOD_AES) {
        throw new NpyFormatException(
            source, member + " is encrypted; encrypted archives are not supported");
      }
      if (method != METHOD_STORED && method != METHOD_DEFLATED) {
        throw new NpyFormatException(
            source,
            member
                + " uses compression method "
                + method
                + "; supported are 0 (stored, np.savez) and 8 (deflated, np.savez_compressed)");
      }
      if (size < 0 || compressed < 0 || offset < 0) {
        throw new NpyFormatException(source, member + " declares a size or offset beyond 2^63");
      }
      if (method == METHOD_STORED && compressed != size) {
        throw new NpyFormatException(
            source,
            member
                + " is stored but declares "
                + compressed
                + " bytes in the archive and "
                + size
                + " bytes uncompressed");
      }
      if (method == METHOD_DEFLATED
          && compressed < Long.MAX_VALUE / MAX_DEFLATE_RATIO
          && size > compressed * MAX_DEFLATE_RATIO + 1024) {
        throw new NpyFormatException(
            source,
            member
                + " declares "
                + size
                + " bytes inflated from "
                + compressed
                + ": more than deflate's maximum ratio of 1032:1 allows (zip bomb?)");
      }
      if (!seen.add(name)) {
        throw new NpyFormatException(source, "duplicate member name '" + name + "'");
      }
      out.add(new Central(name, rawName, method, crc, compressed, size, offset));
      p += total;
    }
    if (p != cd.limit()) {
      throw new NpyFormatException(
          source,
          "corrupt central directory: its "
              + count
              + " declared entries end at byte "
              + p
              + " of "
              + cd.limit());
    }
    return out;
  }

  private static void requireCentral(
      ByteBuffer cd, int p, int length, int i, int count, String source) throws NpyFormatException {
    if (length > cd.limit() - p) {
      throw new NpyFormatException(
          source,
          "truncated central directory: entry "
              + i
              + " of "
              + count
              + " needs "
              + length
              + " bytes at directory byte "
              + p
              + ", the directory holds "
              + cd.limit());
    }
  }

  private static long zip64Field(
      ByteBuffer cd, int at, int end, String member, String field, String source)
      throws NpyFormatException {
    if (end - at < 8) {
      throw new NpyFormatException(
          source, member + ": corrupt ZIP64 extra field: its " + field + " is missing");
    }
    return cd.getLong(at);
  }

  // ------------------------------------------------------------------------ local headers

  /** Reads a member's local header to find where its data starts, and checks the data's extent. */
  private static Entry locate(FileChannel ch, Central c, long membersEnd, String source)
      throws IOException {
    String member = "member '" + c.name + "'";
    if (c.headerOffset > membersEnd - LOCAL_HEADER_LENGTH) {
      throw new NpyFormatException(
          source,
          member
              + ": local header offset "
              + c.headerOffset
              + " is outside the "
              + membersEnd
              + " bytes of member data before the central directory");
    }
    int want = (int) Math.min(LOCAL_HEADER_LENGTH + c.rawName.length, membersEnd - c.headerOffset);
    ByteBuffer h = readExactly(ch, c.headerOffset, want, source, member + " local header");
    if (h.getInt(0) != LOCAL_HEADER_SIG) {
      throw new NpyFormatException(
          source, member + ": no local file header at offset " + c.headerOffset);
    }
    if ((u16(h, 6) & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
      throw new NpyFormatException(
          source, member + " is encrypted; encrypted archives are not supported");
    }
    int nameLength = u16(h, 26);
    int extraLength = u16(h, 28);
    byte[] localName = new byte[Math.min(nameLength, want - LOCAL_HEADER_LENGTH)];
    h.get(LOCAL_HEADER_LENGTH, localName);
    if (!Arrays.equals(localName, c.rawName)) {
      throw new NpyFormatException(
          source,
          member
              + ": its local header at offset "
              + c.headerOffset
              + " names a different file ("
              + new String(localName, StandardCharsets.ISO_8859_1)
              + ")");
    }
    long dataStart = c.headerOffset + LOCAL_HEADER_LENGTH + nameLength + extraLength;
    if (c.compressedSize > membersEnd - dataStart) {
      throw new NpyFormatException(
          source,
          member
              + ": its "
              + c.compressedSize
              + " bytes of data from offset "
              + dataStart
              + " run past the "
              + membersEnd
              + " bytes of member data before the central directory");
    }
    return new Entry(c.name, c.method, c.crc, c.compressedSize, c.size, dataStart);
  }

  // ------------------------------------------------------------------------ bytes

  /** Reads exactly {@code n} bytes at {@code pos}, little-endian; a short read is corruption. */
  static ByteBuffer readExactly(FileChannel ch, long pos, int n, String source, String what)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    NpyArray.readFully(ch, b, pos);
    if (b.hasRemaining()) {
      throw new NpyFormatException(
          source,
          "unexpected end of file reading the "
              + what
              + ": "
              + n
              + " bytes at offset "
              + pos
              + ", only "
              + b.position()
              + " present");
    }
    return b.flip();
  }

  private static int u16(ByteBuffer b, int at) {
    return Short.toUnsignedInt(b.getShort(at));
  }

  private static long u32(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }
}
