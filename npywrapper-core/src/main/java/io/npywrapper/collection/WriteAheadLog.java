package io.npywrapper.collection;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A writer's write-ahead log: a directory of append-only log files holding checksummed records,
 * each fsynced before {@link #append} returns. One process owns a log at a time, through an
 * exclusive OS lock on the directory's {@code LOCK} file that dies with the process; a log whose
 * lock is free belongs to a writer that died and may be taken over and replayed.
 *
 * <p>File layout (little-endian): a 16-byte header {@code "NPYW-WAL"}, u32 format version, u32
 * zero; then records {@code u32 payloadLength, u32 crc32c(seq, payload), u64 seq, payload}. Opening
 * replays every complete record; a torn tail (a crash mid-append) is detected by length or checksum
 * and truncated, never replayed. Damage a crash cannot cause (a bad record in an older file, or one
 * followed by a valid record) is an error naming the file.
 *
 * <p>Thread-safe: appends are serialized.
 */
final class WriteAheadLog implements Closeable {
  static final byte[] MAGIC = {'N', 'P', 'Y', 'W', '-', 'W', 'A', 'L'};
  static final int FORMAT_VERSION = 1;
  static final int FILE_HEADER = 16;
  static final int RECORD_HEADER = 16;

  /** Largest record payload accepted; a longer length field is corruption, not a record. */
  static final int MAX_RECORD = 1 << 30;

  private static final long ROLL_BYTES = 64L << 20;

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private FileChannel current;
  private long currentSize;
  private long nextSeq;

  /** A record read back from the log. */
  record Entry(long seq, byte[] payload) {}

  private WriteAheadLog(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Takes the log in {@code dir} (creating it) if no live process holds it; returns null when
   * another process (or another open log in this one) holds the lock.
   */
  static WriteAheadLog tryOpen(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel ch =
        FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      return null;
    }
    return new WriteAheadLog(dir, ch, lock);
  }

  /**
   * Creates a new, empty log in {@code dir}, which must not exist, already locked. The directory is
   * built under a hidden temporary name and renamed into place, so no other process ever sees it
   * unlocked and takes it for the log of a dead writer. Appending starts at sequence number 1.
   */
  static WriteAheadLog create(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
    FileChannel ch =
        FileChannel.open(
            tmp.resolve("LOCK"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.lock(); // uncontended: no one else knows the temporary name
      Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(parent, StandardOpenOption.READ)) {
        d.force(true);
      }
      WriteAheadLog log = new WriteAheadLog(dir, ch, lock);
      log.nextSeq = 1;
      return log;
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(tmp.resolve("LOCK"));
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  Path dir() {
    return dir;
  }

  /**
   * Reads every complete record in sequence order, truncating a torn tail, and prepares to append
   * after the last one. Records with {@code seq <= appliedUpTo} are skipped (already committed into
   * a segment).
   */
  void replay(long appliedUpTo, Consumer<Entry> sink) throws IOException {
    long lastSeq = appliedUpTo;
    List<Path> files = logFiles();
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      boolean last = i == files.size() - 1;
      lastSeq = Math.max(lastSeq, replayFile(f, appliedUpTo, sink, last));
    }
    nextSeq = lastSeq + 1;
  }

  private long replayFile(Path f, long appliedUpTo, Consumer<Entry> sink, boolean last)
      throws IOException {
    long lastSeq = 0;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = FILE_HEADER;
      if (size < FILE_HEADER || !validHeader(ch, f)) {
        if (!last) {
          // Only the newest file can be caught half-created by a crash: a newer file exists, so
          // this one was complete, and it may hold acknowledged records.
          throw new IOException(
              f
                  + ": corrupt: not a write-ahead log file (bad or short header) in a log file that"
                  + " is not the newest");
        }
        // A crash while creating the file: nothing in it was ever acknowledged.
        ch.truncate(0);
        Files.delete(f);
        return 0;
      }
      ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
      while (pos + RECORD_HEADER <= size) {
        head.clear();
        readFully(ch, head, pos);
        int len = head.getInt(0);
        int crc = head.getInt(4);
        long seq = head.getLong(8);
        if (len < 0 || len > MAX_RECORD || pos + RECORD_HEADER + len > size) {
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        readFully(ch, payload, pos + RECORD_HEADER);
        if (crc(seq, payload.array()) != crc) {
          break;
        }
        if (seq > appliedUpTo) {
          sink.accept(new Entry(seq, payload.array()));
        }
        lastSeq = seq;
        pos += RECORD_HEADER + len;
      }
      if (pos < size) {
        if (!last) {
          throw new IOException(
              f + ": corrupt record at byte " + pos + " in a log file that is not the newest");
        }
        long after = validRecordAfter(ch, pos, size, lastSeq == 0 ? firstSeq(f) - 1 : lastSeq);
        if (after >= 0) {
          // A crash tears only the record being appended, the last one; a bad record with an
          // intact record after it is damage to acknowledged data: never cut it off silently.
          throw new IOException(
              f
                  + ": corrupt record at byte "
                  + pos
                  + ", followed by a valid record at byte "
                  + after
                  + ": not a torn write");
        }
        ch.truncate(pos);
        ch.force(true);
      }
    }
    return lastSeq;
  }

  /**
   * The offset of a complete record with a valid checksum and a sequence number after {@code
   * prevSeq} somewhere after byte {@code bad}, or -1. Reads the tail in bounded chunks.
   */
  private static long validRecordAfter(FileChannel ch, long bad, long size, long prevSeq)
      throws IOException {
    int chunk = (int) Math.min(1 << 20, size - bad);
    ByteBuffer buf = ByteBuffer.allocate(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (long base = bad + 1; base + RECORD_HEADER <= size; base += chunk - RECORD_HEADER) {
      buf.clear();
      buf.limit((int) Math.min(chunk, size - base));
      readFully(ch, buf, base);
      for (int i = 0; i + RECORD_HEADER <= buf.limit(); i++) {
        long p = base + i;
        int len = buf.getInt(i);
        long seq = buf.getLong(i + 8);
        if (seq <= prevSeq || seq > prevSeq + size || len < 0 || p + RECORD_HEADER + len > size) {
          continue;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        readFully(ch, payload, p + RECORD_HEADER);
        if (crc(seq, payload.array()) == buf.getInt(i + 4)) {
          return p;
        }
      }
    }
    return -1;
  }

  private static boolean validHeader(FileChannel ch, Path f) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, h, 0);
    for (int i = 0; i < MAGIC.length; i++) {
      if (h.get(i) != MAGIC[i]) {
        return false;
      }
    }
    int version = h.getInt(8);
    if (version != FORMAT_VERSION) {
      throw new IOException(
          f
              + ": write-ahead log format version "
              + version
              + " is not supported (expected "
              + FORMAT_VERSION
              + ")");
    }
    return true;
  }

  /** Sequence number the next append will get. */
  long nextSeq() {
    return nextSeq;
  }

  /** Appends one record and forces it to disk; returns its sequence number. */
  synchronized long append(byte[] payload) throws IOException {
    if (payload.length > MAX_RECORD) {
      throw new IllegalArgumentException(
          "write of " + payload.length + " bytes exceeds the log's record limit of " + MAX_RECORD);
    }
    if (current == null || currentSize >= ROLL_BYTES) {
      roll();
    }
    long seq = nextSeq;
    ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(payload.length).putInt(crc(seq, payload)).putLong(seq).flip();
    ByteBuffer[] parts = {head, ByteBuffer.wrap(payload)};
    long want = RECORD_HEADER + (long) payload.length;
    long written = 0;
    while (written < want) {
      written += current.write(parts);
    }
    current.force(false);
    currentSize += want;
    nextSeq = seq + 1;
    return seq;
  }

  private void roll() throws IOException {
    if (current != null) {
      current.close();
    }
    Path f = dir.resolve(String.format("log-%020d.wal", nextSeq));
    current =
        FileChannel.open(
            f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (current.size() == 0) {
      ByteBuffer h = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
      h.put(MAGIC).putInt(FORMAT_VERSION).putInt(0).flip();
      while (h.hasRemaining()) {
        current.write(h);
      }
      current.force(true);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    }
    currentSize = current.size();
  }

  /** Deletes log files all of whose records have {@code seq <= appliedUpTo}. */
  synchronized void discardUpTo(long appliedUpTo) throws IOException {
    List<Path> files = logFiles();
    for (int i = 0; i < files.size(); i++) {
      long firstOfNext = i + 1 < files.size() ? firstSeq(files.get(i + 1)) : nextSeq;
      if (firstOfNext - 1 <= appliedUpTo) {
        Path f = files.get(i);
        if (current != null && i == files.size() - 1) {
          current.close();
          current = null;
        }
        Files.deleteIfExists(f);
      }
    }
  }

  private List<Path> logFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches("log-\\d{20}\\.wal"))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  private static long firstSeq(Path f) {
    String n = f.getFileName().toString();
    return Long.parseLong(n.substring(4, 24));
  }

  /**
   * Removes the whole log: everything in it is committed. Files go before the lock is released, so
   * a process that takes the lock afterwards finds nothing to replay.
   */
  synchronized void deleteAll() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
    for (Path f : logFiles()) {
      Files.deleteIfExists(f);
    }
    Files.deleteIfExists(dir.resolve("LOCK"));
    close();
    try {
      Files.deleteIfExists(dir);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // a file we do not own; leave the directory
    }
  }

  static int crc(long seq, byte[] payload) {
    CRC32C c = new CRC32C();
    ByteBuffer s = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).flip();
    c.update(s);
    c.update(payload);
    return (int) c.getValue();
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        throw new IOException("unexpected end of log file at " + pos);
      }
      pos += n;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (current != null) {
        current.close();
        current = null;
      }
    } finally {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    }
  }
}
