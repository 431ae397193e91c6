package io.npywrapper.npy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written under a temporary name beside its target and published by one atomic step: a hard
 * link (never replaces anything) or a rename (with overwrite). Until {@link #publish} the target is
 * untouched; {@link #close} without publish deletes the temporary file. Not thread-safe.
 */
final class AtomicOutput implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final WriteOptions options;
  private final FileChannel channel;
  private boolean published;

  private AtomicOutput(Path target, Path temp, WriteOptions options, FileChannel channel) {
    this.target = target;
    this.temp = temp;
    this.options = options;
    this.channel = channel;
  }

  /** Fails before writing anything when the target exists and overwrite is off. */
  static AtomicOutput create(Path target, WriteOptions options) throws IOException {
    Path abs = target.toAbsolutePath();
    if (!options.overwrite() && Files.exists(abs)) {
      throw new FileAlreadyExistsException(abs.toString(), null, "file exists; not overwritten");
    }
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(
          String.valueOf(dir), null, "directory does not exist");
    }
    String name =
        "."
            + abs.getFileName()
            + "."
            + Long.toHexString(ThreadLocalRandom.current().nextLong())
            + ".tmp";
    Path temp = dir.resolve(name);
    FileChannel ch =
        FileChannel.open(
            temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    return new AtomicOutput(abs, temp, options, ch);
  }

  FileChannel channel() {
    return channel;
  }

  Path target() {
    return target;
  }

  /** Forces the data (if syncing) and makes the file visible under its target name. */
  void publish() throws IOException {
    if (options.sync()) {
      channel.force(true);
    }
    channel.close();
    if (options.overwrite()) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(
            target.toString(), null, "file appeared while writing; not overwritten");
      }
      Files.delete(temp);
    }
    published = true;
    if (options.sync()) {
      syncDirectory(target.getParent());
    }
  }

  /** fsyncs a directory so that a new entry in it survives a crash. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      channel.close();
    }
    if (!published) {
      Files.deleteIfExists(temp);
    }
  }
}
