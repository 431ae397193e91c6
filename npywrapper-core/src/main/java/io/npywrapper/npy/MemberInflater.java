package io.npywrapper.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one deflated {@code .npz} member from the archive's channel into another channel through
 * two bounded direct buffers, so a member of any size needs no heap. It trusts nothing the archive
 * declares: it stops as soon as the output exceeds the entry's declared size (a zip bomb), fails
 * when the stream ends short of it or the compressed bytes run out, checks the {@code .npy} header
 * against the declared size as soon as the header has been inflated, and verifies the CRC-32 at the
 * end. Stateless and thread-safe; each call uses its own buffers.
 */
final class MemberInflater {
  private static final int CHUNK = 1 << 20;
  private static final int MAX_HEAD = NpyHeader.PREFIX_LENGTH + NpyHeader.MAX_HEADER_LENGTH;

  private MemberInflater() {}

  /**
   * Inflates {@code entry} from {@code archive} into {@code dst}, or only checks it when {@code
   * dst} is null.
   *
   * @param source the archive and member, for error messages
   * @throws NpyFormatException when the data is corrupt, too long, too short, fails its CRC or is
   *     not a {@code .npy} image of the declared size
   */
  static void inflate(
      FileChannel archive, ZipDirectory.Entry entry, WritableByteChannel dst, String source)
      throws IOException {
    Inflater inflater = new Inflater(true);
    CRC32 crc = new CRC32();
    ByteBuffer in = ByteBuffer.allocateDirect((int) Math.min(CHUNK, entry.compressedSize() + 1));
    ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
    HeaderCheck head = new HeaderCheck(entry.size(), source);
    long readPos = entry.dataStart();
    long readEnd = entry.dataStart() + entry.compressedSize();
    long produced = 0;
    try {
      while (!inflater.finished()) {
        if (inflater.needsInput()) {
          if (readPos >= readEnd) {
            throw new NpyFormatException(
                source,
                "truncated deflate data: its "
                    + entry.compressedSize()
                    + " compressed bytes end before the stream does, after "
                    + produced
                    + " of "
                    + entry.size()
                    + " bytes");
          }
          in.clear().limit((int) Math.min(in.capacity(), readEnd - readPos));
          NpyArray.readFully(archive, in, readPos);
          if (in.position() == 0) {
            throw new NpyFormatException(source, "unexpected end of file at offset " + readPos);
          }
          readPos += in.position();
          inflater.setInput(in.flip());
        }
        if (inflater.needsDictionary()) {
          throw new NpyFormatException(
              source, "corrupt deflate data: the stream asks for a preset dictionary");
        }
        out.clear();
        int n = inflater.inflate(out);
        if (n == 0) {
          continue;
        }
        produced += n;
        if (produced > entry.size()) {
          throw new NpyFormatException(
              source,
              "inflates to more than the "
                  + entry.size()
                  + " bytes its entry declares; stopped (zip bomb?)");
        }
        out.flip();
        crc.update(out.duplicate());
        head.accept(out.duplicate());
        if (dst != null) {
          NpyWriter.writeFully(dst, out);
        }
      }
    } catch (DataFormatException e) {
      throw new NpyFormatException(
          source, "corrupt deflate data after " + produced + " bytes: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    if (produced < entry.size()) {
      throw new NpyFormatException(
          source, "inflates to only " + produced + " bytes, its entry declares " + entry.size());
    }
    if (crc.getValue() != entry.crc()) {
      throw new NpyFormatException(
          source,
          String.format(
              "CRC-32 mismatch: the entry declares %08x, the inflated data has %08x",
              entry.crc(), crc.getValue()));
    }
    head.finish();
  }

  /**
   * Collects the first bytes of the inflated image and parses its {@code .npy} header as soon as it
   * is complete, so that a member whose header disagrees with its entry stops early.
   */
  private static final class HeaderCheck {
    private final long size;
    private final String source;
    private final byte[] bytes;
    private int length;
    private boolean done;

    HeaderCheck(long size, String source) {
      this.size = size;
      this.source = source;
      this.bytes = new byte[(int) Math.min(size, MAX_HEAD)];
    }

    void accept(ByteBuffer chunk) throws NpyFormatException {
      if (done) {
        return;
      }
      int n = Math.min(chunk.remaining(), bytes.length - length);
      chunk.get(bytes, length, n);
      length += n;
      if (length >= Math.min(bytes.length, NpyHeader.PREFIX_LENGTH)) {
        int end = NpyHeader.headerEnd(ByteBuffer.wrap(bytes, 0, length), source);
        if (length >= end) {
          NpyHeader.parse(ByteBuffer.wrap(bytes, 0, end), size, source);
          done = true;
        }
      }
    }

    /** Called once the whole image is inflated: a header still incomplete is truncated. */
    void finish() throws NpyFormatException {
      if (!done) {
        NpyHeader.parse(ByteBuffer.wrap(bytes, 0, length), size, source);
      }
    }
  }
}
