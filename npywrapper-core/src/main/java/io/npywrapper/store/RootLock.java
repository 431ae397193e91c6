package io.npywrapper.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mutual-exclusion lock over one local store root, across threads and processes: a {@link
 * ReentrantLock} for the threads of this store object, then an OS lock ({@link FileChannel#lock})
 * on a dot-named file in the root for other processes. Used only by {@link FilePublisher} on file
 * systems without hard links, where a conditional create must be check-then-rename.
 *
 * <p>The JDK allows one OS lock per file per JVM, so two store objects on the same root in one
 * process take turns by retrying. Caveat of POSIX locks: closing one of them while the other holds
 * the lock releases the OS lock early; do not open the same root twice in one process on such a
 * file system.
 *
 * <p>Thread-safe.
 */
final class RootLock implements AutoCloseable {
  /** An action that may throw IOException. */
  interface IoAction<T> {
    T run() throws IOException;
  }

  private final Path file;
  private final ReentrantLock threads = new ReentrantLock();
  private FileChannel channel; // guarded by threads

  RootLock(Path file) {
    this.file = file;
  }

  /** Runs {@code action} while holding the lock. */
  <T> T locked(IoAction<T> action) throws IOException {
    threads.lock();
    try {
      if (channel == null || !channel.isOpen()) {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      }
      FileLock lock = acquire();
      try {
        return action.run();
      } finally {
        if (lock.isValid()) {
          lock.release();
        }
      }
    } finally {
      threads.unlock();
    }
  }

  private FileLock acquire() throws IOException {
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException e) {
        // another store object in this JVM holds the OS lock on the same file: wait our turn
        try {
          Thread.sleep(1);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for lock " + file);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    threads.lock();
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      threads.unlock();
    }
  }
}
