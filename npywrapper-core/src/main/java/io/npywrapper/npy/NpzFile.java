package io.npywrapper.npy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Reads a numpy {@code .npz} archive ({@code np.savez} or {@code np.savez_compressed}): a ZIP file
 * whose members {@code <name>.npy} are {@code .npy} images. Opening reads only the ZIP's table of
 * contents; an array is read when first asked for. A stored member ({@code np.savez}) is
 * memory-mapped in place, zero-copy. A deflated member ({@code np.savez_compressed}) is inflated
 * once into a temporary file, which is then mapped and is deleted when this archive closes, so even
 * a huge member never needs heap. Inflation stops at the size the member declares and checks its
 * CRC-32. Stored members are not checksummed on open; {@link #checkIntegrity} does that on demand.
 *
 * <p>Members whose names do not end in {@code .npy} (numpy would return them as raw bytes) and
 * directory entries are not arrays and are not listed. Any malformed archive fails with an {@link
 * NpyFormatException} naming the file, the member and the problem.
 *
 * <p>Thread-safe: any number of threads may call {@link #get} and read the arrays. Arrays stay
 * valid until this archive closes ({@link NpyArray#close()} on them does nothing); {@link #close()}
 * must not race with reads, and a read after close fails with {@link IllegalStateException}.
 */
public final class NpzFile implements AutoCloseable {
  private static final String SUFFIX = ".npy";
  private static final int CRC_CHUNK = 1 << 20;

  private final Path path;
  private final String source;
  private final FileChannel channel;
  private final Path tempDir;
  private final Map<String, ZipDirectory.Entry> members;
  private final List<String> names;
  private final Arena arena = Arena.ofShared();
  private final Map<String, NpyArray> arrays = new HashMap<>();
  private final List<Path> tempFiles = new ArrayList<>();
  private boolean closed;

  private NpzFile(
      Path path, FileChannel channel, Path tempDir, Map<String, ZipDirectory.Entry> members) {
    this.path = path;
    this.source = path.toString();
    this.channel = channel;
    this.tempDir = tempDir;
    this.members = members;
    this.names = List.copyOf(members.keySet());
  }

  /**
   * Opens an archive, inflating compressed members into the default temporary directory.
   *
   * @throws NpyFormatException naming the file when it is not a valid, supported archive
   * @throws NoSuchFileException when it does not exist
   */
  public static NpzFile open(Path path) throws IOException {
    return open(path, null);
  }

  /**
   * Opens an archive, inflating compressed members into {@code tempDir} (null: the default
   * temporary directory). Choose a directory with room for the largest member uncompressed.
   */
  public static NpzFile open(Path path, Path tempDir) throws IOException {
    Objects.requireNonNull(path, "path");
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      Map<String, ZipDirectory.Entry> members = new LinkedHashMap<>();
      for (ZipDirectory.Entry e : ZipDirectory.read(ch, path.toString())) {
        if (e.name().endsWith(SUFFIX)) {
          members.put(e.name().substring(0, e.name().length() - SUFFIX.length()), e);
        }
      }
      return new NpzFile(path, ch, tempDir, Collections.unmodifiableMap(members));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The archive's path. */
  public Path path() {
    return path;
  }

  /** Array names (member names without {@code .npy}) in archive order; immutable. */
  public List<String> names() {
    return names;
  }

  /** True when the archive holds an array of this name. */
  public boolean contains(String name) {
    return members.containsKey(name);
  }

  /**
   * The array {@code name}, mapped (stored) or inflated and then mapped (deflated) on first use;
   * the same instance afterwards.
   *
   * @throws NoSuchElementException when there is no such array
   * @throws NpyFormatException naming the archive and member when the member is corrupt or not a
   *     valid {@code .npy}
   */
  public synchronized NpyArray get(String name) throws IOException {
    checkOpen();
    NpyArray array = arrays.get(name);
    if (array != null) {
      return array;
    }
    ZipDirectory.Entry e = member(name);
    String src = memberSource(e);
    array =
        e.method() == ZipDirectory.METHOD_STORED
            ? NpyArray.map(channel, e.dataStart(), e.size(), src, arena)
            : inflateAndMap(e, src);
    arrays.put(name, array);
    return array;
  }

  private NpyArray inflateAndMap(ZipDirectory.Entry e, String src) throws IOException {
    Path temp =
        tempDir == null
            ? Files.createTempFile("npyw-npz-", ".npy")
            : Files.createTempFile(tempDir, "npyw-npz-", ".npy");
    tempFiles.add(temp);
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      MemberInflater.inflate(channel, e, out, src);
      return NpyArray.map(out, 0, e.size(), src, arena);
    } catch (IOException | RuntimeException ex) {
      tempFiles.remove(temp);
      Files.deleteIfExists(temp);
      throw ex;
    }
  }

  /**
   * Verifies every member in full: the CRC-32 of each stored member's bytes, and for each deflated
   * member a complete inflation (to nowhere, without temporary files) with its size, CRC-32 and
   * {@code .npy} header checks. Reads the whole archive; meant for scrubbing, not for every open.
   *
   * @throws NpyFormatException naming the first member that fails
   */
  public synchronized void checkIntegrity() throws IOException {
    checkOpen();
    for (ZipDirectory.Entry e : members.values()) {
      String src = memberSource(e);
      if (e.method() == ZipDirectory.METHOD_DEFLATED) {
        MemberInflater.inflate(channel, e, null, src);
        continue;
      }
      NpyArray.readHeader(channel, e.dataStart(), e.size(), src);
      long crc = storedCrc(e);
      if (crc != e.crc()) {
        throw new NpyFormatException(
            src,
            String.format(
                "CRC-32 mismatch: the entry declares %08x, the stored data has %08x",
                e.crc(), crc));
      }
    }
  }

  private long storedCrc(ZipDirectory.Entry e) throws IOException {
    CRC32 crc = new CRC32();
    if (e.size() == 0) {
      return crc.getValue();
    }
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment seg =
          channel.map(FileChannel.MapMode.READ_ONLY, e.dataStart(), e.size(), scratch);
      for (long off = 0; off < e.size(); off += CRC_CHUNK) {
        crc.update(seg.asSlice(off, Math.min(CRC_CHUNK, e.size() - off)).asByteBuffer());
      }
    }
    return crc.getValue();
  }

  private ZipDirectory.Entry member(String name) {
    ZipDirectory.Entry e = members.get(Objects.requireNonNull(name, "name"));
    if (e == null) {
      String held = names.size() <= 20 ? names.toString() : names.subList(0, 20) + "...";
      throw new NoSuchElementException(
          source + " holds no array named '" + name + "'; it holds " + held);
    }
    return e;
  }

  private String memberSource(ZipDirectory.Entry e) {
    return source + ", member '" + e.name() + "'";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(source + " is closed");
    }
  }

  /** Unmaps every array, closes the file and deletes temporary files. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    try {
      arena.close();
      channel.close();
    } catch (IOException e) {
      failure = e;
    }
    for (Path temp : tempFiles) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    tempFiles.clear();
    arrays.clear();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "NpzFile{" + source + ", " + names.size() + " arrays}";
  }
}
