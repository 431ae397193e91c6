package io.npywrapper.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The write path of {@link LocalBlobStore}: writes a file under a hidden temporary name beside its
 * target ({@code .<name>.<random>.tmp}), fsyncs it, publishes it in one atomic step and fsyncs the
 * directory, so a half-written file is never visible under its final name and a returned write
 * survives a crash. Replacing is a rename over the target. Creating only if absent is a hard link,
 * which the file system refuses atomically when the target exists; where hard links are not
 * supported ({@link Mode#LOCKED_RENAME}) it is check-then-rename under a {@link RootLock}, which
 * replacing then takes too so that it cannot slip between the check and the rename.
 *
 * <p>Thread-safe.
 */
final class FilePublisher implements AutoCloseable {
  /** How a new file is published without replacing an existing one. */
  enum Mode {
    /** A hard link: atomic in the file system, no lock. */
    HARD_LINK,
    /** Check, then rename, holding {@link RootLock}: for file systems without hard links. */
    LOCKED_RENAME
  }

  /** Writes a temporary file's content. */
  interface ContentWriter {
    void write(FileChannel ch) throws IOException;
  }

  static final String LOCK_FILE = ".npyw-lock";

  private final Path root;
  private final RootLock lock;
  private volatile Mode mode; // null until the first write probes the file system

  /** A publisher for files under {@code root}; {@code mode} null probes on the first write. */
  FilePublisher(Path root, Mode mode) {
    this.root = root;
    this.mode = mode;
    this.lock = new RootLock(root.resolve(LOCK_FILE));
  }

  /** Writes {@code content} as {@code target}, replacing whatever file is there. */
  void replace(Path target, ContentWriter content) throws IOException {
    Path temp = writeTemp(target, content);
    try {
      if (mode() == Mode.LOCKED_RENAME) {
        lock.locked(
            () -> {
              rename(temp, target);
              return null;
            });
      } else {
        rename(temp, target);
      }
    } finally {
      deleteTemp(temp);
    }
  }

  /** Writes {@code content} as {@code target} unless it exists; true if this call created it. */
  boolean createIfAbsent(Path target, ContentWriter content) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false; // a cheap early answer; the publish step below decides races
    }
    Path temp = writeTemp(target, content);
    try {
      if (mode() == Mode.LOCKED_RENAME) {
        return lock.locked(
            () -> {
              if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return false;
              }
              rename(temp, target);
              return true;
            });
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      syncDirectory(target.getParent());
      return true;
    } finally {
      deleteTemp(temp); // after a hard link, only the temporary name goes
    }
  }

  /** The publishing mode, probing the file system on first use. */
  Mode mode() throws IOException {
    Mode m = mode;
    if (m == null) {
      synchronized (this) {
        if (mode == null) {
          mode = probeHardLinks();
        }
        m = mode;
      }
    }
    return m;
  }

  /** The mode if known yet, else null; for toString. */
  Mode modeIfKnown() {
    return mode;
  }

  @Override
  public void close() throws IOException {
    lock.close();
  }

  private Mode probeHardLinks() throws IOException {
    long r = ThreadLocalRandom.current().nextLong();
    Path a = root.resolve(".npyw-probe." + Long.toHexString(r) + ".tmp");
    Path b = root.resolve(".npyw-probe." + Long.toHexString(r) + ".link.tmp");
    Files.createFile(a);
    try {
      Files.createLink(b, a);
      return Mode.HARD_LINK;
    } catch (UnsupportedOperationException | FileSystemException e) {
      return Mode.LOCKED_RENAME;
    } finally {
      Files.deleteIfExists(b);
      Files.deleteIfExists(a);
    }
  }

  /** Writes a new hidden temporary file beside {@code target} and fsyncs it. */
  private static Path writeTemp(Path target, ContentWriter content) throws IOException {
    String name = target.getFileName().toString();
    String stem = name.length() > 40 ? name.substring(0, 40) : name;
    while (true) {
      Path temp =
          target.resolveSibling(
              "." + stem + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      FileChannel ch;
      try {
        ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        continue; // a 64-bit random name collided; pick another
      }
      try (ch) {
        content.write(ch);
        ch.force(true);
      } catch (Throwable e) {
        deleteTemp(temp);
        throw e;
      }
      return temp;
    }
  }

  private static void rename(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.getParent());
  }

  /**
   * Removes a temporary file that was not published. A failure is ignored: a leftover temporary
   * file is hidden and harmless, and the caller's own outcome matters more.
   */
  private static void deleteTemp(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // hidden from list(); nothing else to do
    }
  }

  /** Copies the first {@code size} bytes of {@code file} to {@code out}, in the kernel. */
  static void copy(Path file, long size, FileChannel out) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = 0;
      while (pos < size) {
        long n = in.transferTo(pos, size - pos, out);
        if (n <= 0) {
          throw new EOFException(
              file + " shrank while being copied: expected " + size + " bytes, got " + pos);
        }
        pos += n;
      }
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** fsyncs a directory so that a new or removed entry in it survives a crash. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
