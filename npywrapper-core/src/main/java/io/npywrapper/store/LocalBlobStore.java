package io.npywrapper.store;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BlobStore} over a local directory: blob {@code a/b/c} is the file {@code <root>/a/b/c},
 * so the files are plain {@code .npy} files that numpy opens and the engine memory-maps in place
 * ({@link LocalFiles}).
 *
 * <p><b>Atomic writes</b> ({@link FilePublisher}): every write goes to a hidden temporary file in
 * the target's directory, which is fsynced and then published in one step, after which the
 * directory is fsynced; so a half-written file is never visible under its final name, even if the
 * process is killed, and a returned write survives a crash. {@link #put} renames over the target;
 * {@link #putIfAbsent} makes a hard link, which the file system refuses atomically if the target
 * exists: one winner across threads and processes. On a file system without hard links (FAT, some
 * network mounts; found by trying one on the first write), conditional creates and replacing puts
 * instead take an OS file lock on {@code <root>/.npyw-lock}, check and rename: still no partial
 * file under a final name, and one winner among processes that honour the lock. Leftover temporary
 * files of a killed writer are hidden and harmless. {@code put(key, Path)} copies the caller's file
 * (in the kernel where the OS can), never links or moves it, so later changes to it cannot change
 * the blob.
 *
 * <p><b>Files in the root that are not blobs</b> are ignored by {@link #list}: names starting with
 * {@code '.'} and names that are not valid keys. A local directory cannot hold both a blob {@code
 * a} and blobs under {@code a/}; writing one when the other exists fails with a clear error. Empty
 * directories left by {@link #delete} are kept (another writer may be about to use them).
 *
 * <p>Thread-safe; any number of store objects and processes may use the same root.
 */
public final class LocalBlobStore implements BlobStore, LocalFiles {
  private final Path root;
  private final String uri;
  private final FilePublisher publisher;
  private volatile boolean closed;

  private LocalBlobStore(Path root, FilePublisher.Mode mode) {
    this.root = root;
    this.publisher = new FilePublisher(root, mode);
    String u = root.toUri().toString();
    this.uri = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /**
   * Opens the store rooted at directory {@code root}, creating the directory if it does not exist.
   *
   * @throws IOException if {@code root} exists and is not a directory, or cannot be created
   */
  public static LocalBlobStore open(Path root) throws IOException {
    return open(root, null);
  }

  /** Opens a store that publishes new files the given way (tests use it to force the fallback). */
  static LocalBlobStore open(Path root, FilePublisher.Mode mode) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new FileSystemException(abs.toString(), null, "store root is not a directory");
    }
    Files.createDirectories(abs);
    return new LocalBlobStore(abs, mode);
  }

  /** The store's root directory, absolute. */
  public Path root() {
    return root;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public Optional<BlobInfo> stat(String key) throws IOException {
    BasicFileAttributes a = attributes(path(key));
    return a != null && a.isRegularFile()
        ? Optional.of(new BlobInfo(key, a.size()))
        : Optional.empty();
  }

  @Override
  public Optional<Path> localPath(String key) throws IOException {
    Path p = path(key);
    BasicFileAttributes a = attributes(p);
    return a != null && a.isRegularFile() ? Optional.of(p) : Optional.empty();
  }

  @Override
  public byte[] read(String key) throws IOException {
    try (FileChannel ch = openForRead(key)) {
      long size = ch.size();
      if (size > MAX_READ_BYTES) {
        throw new IOException(
            where(key)
                + " is "
                + size
                + " bytes; read() returns at most "
                + MAX_READ_BYTES
                + " bytes, stream larger blobs with open()");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      readFully(ch, buf, 0, key);
      return buf.array();
    }
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    if (offset < 0 || length < 0) {
      Keys.check(key);
      throw new IllegalArgumentException(
          where(key) + ": offset and length must be >= 0, got " + offset + " and " + length);
    }
    try (FileChannel ch = openForRead(key)) {
      long size = ch.size();
      if (offset > size - length) {
        throw new EOFException(
            where(key)
                + ": range ["
                + offset
                + ", "
                + (offset + length)
                + ") is past the end of the blob, which is "
                + size
                + " bytes");
      }
      ByteBuffer buf = ByteBuffer.allocate(length);
      readFully(ch, buf, offset, key);
      return buf.array();
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    return new BufferedInputStream(Channels.newInputStream(openForRead(key)), 64 << 10);
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    publisher.replace(
        prepareTarget(key), ch -> FilePublisher.writeFully(ch, ByteBuffer.wrap(data)));
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = prepareTarget(key);
    long size = checkSource(key, file);
    publisher.replace(target, ch -> FilePublisher.copy(file, size, ch));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    return publisher.createIfAbsent(
        prepareTarget(key), ch -> FilePublisher.writeFully(ch, ByteBuffer.wrap(data)));
  }

  @Override
  public boolean putIfAbsent(String key, Path file) throws IOException {
    Path target = prepareTarget(key);
    long size = checkSource(key, file);
    return publisher.createIfAbsent(target, ch -> FilePublisher.copy(file, size, ch));
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    ensureOpen();
    Keys.checkPrefix(prefix);
    return LocalListing.list(root, prefix);
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path p = path(key);
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    } catch (FileSystemException e) {
      if (underAFile(p)) {
        return false;
      }
      throw e;
    }
    if (a.isDirectory()) {
      return false; // not a blob: a directory of other blobs
    }
    boolean deleted = Files.deleteIfExists(p);
    if (deleted) {
      FilePublisher.syncDirectory(p.getParent());
    }
    return deleted;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    publisher.close();
  }

  @Override
  public String toString() {
    FilePublisher.Mode mode = publisher.modeIfKnown();
    return "LocalBlobStore[" + uri + ", publish=" + (mode == null ? "unprobed" : mode) + "]";
  }

  /** How this store publishes new files (probing the file system if not yet known). */
  FilePublisher.Mode publishMode() throws IOException {
    return publisher.mode();
  }

  // ---- reading ------------------------------------------------------------------------------

  private FileChannel openForRead(String key) throws IOException {
    Path p = path(key);
    BasicFileAttributes a = attributes(p);
    if (a == null || !a.isRegularFile()) {
      throw new NoSuchBlobException(uri, key);
    }
    try {
      return FileChannel.open(p, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NoSuchBlobException(uri, key); // deleted since we looked
    }
  }

  private void readFully(FileChannel ch, ByteBuffer buf, long position, String key)
      throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position + buf.position());
      if (n < 0) {
        throw new EOFException(
            where(key)
                + " ended at byte "
                + (position + buf.position())
                + ", expected "
                + (position + buf.limit())
                + ": the file was truncated while being read, outside this store");
      }
    }
  }

  /** Attributes following links, or null if the path (or one of its parents) does not exist. */
  private BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (FileSystemException e) {
      if (underAFile(p)) {
        return null; // "Not a directory": a parent is a blob
      }
      throw e;
    }
  }

  /** Whether a parent of {@code p} below the root is a regular file. */
  private boolean underAFile(Path p) {
    for (Path q = p.getParent(); q != null && !q.equals(root); q = q.getParent()) {
      if (Files.isRegularFile(q)) {
        return true;
      }
    }
    return false;
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Checks the key, refuses a directory at the target, and creates the parent directories. */
  @Override
  public Path stagingDirectory() throws IOException {
    Path dir = root.resolve(".staging");
    Files.createDirectories(dir);
    return dir;
  }

  @Override
  public void moveIn(String key, Path file) throws IOException {
    Path target = prepareTarget(key);
    checkSource(key, file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      put(key, file);
      Files.delete(file);
      return;
    }
    FilePublisher.syncDirectory(target.getParent());
  }

  private Path prepareTarget(String key) throws IOException {
    Path target = path(key);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          where(key)
              + " cannot be written: it is a directory of blobs '"
              + key
              + "/...', and a local store cannot hold a blob and keys under it");
    }
    try {
      Files.createDirectories(target.getParent());
    } catch (FileSystemException e) {
      for (Path q = target.getParent(); q != null && !q.equals(root); q = q.getParent()) {
        if (Files.isRegularFile(q)) {
          String blob =
              root.relativize(q).toString().replace(q.getFileSystem().getSeparator(), "/");
          throw new IOException(
              where(key)
                  + " cannot be written: '"
                  + blob
                  + "' is a blob, and a local store cannot hold a blob and keys under it",
              e);
        }
      }
      throw e;
    }
    return target;
  }

  /** The size of a caller's source file, which must be a regular file. */
  private long checkSource(String key, Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          file.toString(), null, "cannot put " + where(key) + " from it: no such file");
    }
    if (!a.isRegularFile()) {
      throw new FileSystemException(
          file.toString(), null, "cannot put " + where(key) + " from it: not a regular file");
    }
    return a.size();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private Path path(String key) {
    ensureOpen();
    return root.resolve(Keys.check(key));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("store " + uri + " is closed");
    }
  }

  private String where(String key) {
    return "store " + uri + ": blob '" + key + "'";
  }
}
