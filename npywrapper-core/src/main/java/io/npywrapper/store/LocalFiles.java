package io.npywrapper.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An extra ability of a {@link BlobStore} whose blobs are plain files on a local file system: the
 * engine asks for a blob's real path so that it can memory-map a segment in place instead of
 * copying it, and stage new files where they can be renamed into place. Test with {@code store
 * instanceof LocalFiles}; stores that wrap another store (for example to count reads) deliberately
 * do not implement it, so every byte goes through them.
 *
 * <p>Implementations are thread-safe.
 */
public interface LocalFiles {
  /**
   * The path of the file that holds {@code key}, or empty if no such blob exists. The file must be
   * treated as read-only: blobs are replaced by renaming a new file over the old one, so a mapping
   * of the returned path keeps seeing the content it was opened with.
   *
   * @throws IllegalArgumentException if {@code key} is not a valid key (see {@link Keys})
   */
  Optional<Path> localPath(String key) throws IOException;

  /**
   * A directory on the store's own file system where callers stage new files before {@link
   * #moveIn}; it is created if needed and hidden from {@link BlobStore#list}.
   */
  Path stagingDirectory() throws IOException;

  /**
   * Publishes a file the caller owns under {@code key}, replacing any blob there, by renaming it
   * into place when it is on the store's file system (no copy) and copying it otherwise. The file
   * is forced to disk first and is gone from {@code file} afterwards. Readers see the old blob or
   * the new one, never a part.
   *
   * @throws IllegalArgumentException if {@code key} is not a valid key
   */
  void moveIn(String key, Path file) throws IOException;
}
