package io.npywrapper.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one storage interface the engine talks to: named, immutable-by-convention blobs under a root
 * (a local directory, an S3 or GCS bucket prefix). Open one with {@link BlobStores#open(String)}.
 *
 * <p><b>Keys</b> are relative, {@code '/'}-separated names checked by {@link Keys#check}; every
 * method rejects an invalid key with an {@link IllegalArgumentException} before touching storage. A
 * portable caller never stores a key that is also the directory part of another key (both {@code a}
 * and {@code a/b}): object stores allow it, a local directory cannot.
 *
 * <p><b>Consistency.</b> Writes are atomic: a reader sees a blob's old or new content in full,
 * never a mix or a prefix. After a write returns, every later call (from any thread or process)
 * sees it. {@link #putIfAbsent} has exactly one winner among racing callers, across threads and
 * processes; it is the commit primitive for manifests. A failed write leaves either the old blob or
 * the new one; when an {@link IOException} leaves the outcome unknown, find out by reading.
 *
 * <p><b>Errors.</b> A missing blob is a {@link NoSuchBlobException}; every message names the
 * store's {@link #uri()} and the key, and the expected and actual value where there is one.
 *
 * <p><b>Abilities beyond this interface</b> are extra interfaces a store may implement, such as
 * {@link LocalFiles}.
 *
 * <p>Implementations are thread-safe. {@link #close} releases the store's resources; calls after it
 * fail with {@link IllegalStateException}.
 */
public interface BlobStore extends AutoCloseable {
  /** The largest blob {@link #read(String)} returns in one array (64 MiB); use {@link #open}. */
  int MAX_READ_BYTES = 64 << 20;

  /** The size of blob {@code key}, or empty if there is no such blob. */
  Optional<BlobInfo> stat(String key) throws IOException;

  /**
   * The whole content of blob {@code key}, for small blobs such as manifests.
   *
   * @throws NoSuchBlobException if there is no such blob
   * @throws IOException if the blob is larger than {@link #MAX_READ_BYTES} (without reading it)
   */
  byte[] read(String key) throws IOException;

  /**
   * {@code length} bytes of blob {@code key} starting at byte {@code offset}; {@code length} may be
   * zero, and {@code offset} may then equal the blob's size.
   *
   * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
   * @throws java.io.EOFException if the range reaches past the end of the blob (names the size)
   * @throws NoSuchBlobException if there is no such blob
   */
  byte[] readRange(String key, long offset, int length) throws IOException;

  /**
   * A stream over the whole content of blob {@code key}, read lazily; the caller closes it. The
   * stream sees one version of the blob even if the blob is replaced while it is read.
   *
   * @throws NoSuchBlobException if there is no such blob
   */
  InputStream open(String key) throws IOException;

  /** Creates or replaces blob {@code key} with {@code data}, atomically. */
  void put(String key, byte[] data) throws IOException;

  /**
   * Creates or replaces blob {@code key} with the content of the local file {@code file},
   * atomically and without holding the file on the heap. The caller's file is left where it is,
   * unchanged, and later changes to it do not change the blob.
   *
   * @throws java.nio.file.NoSuchFileException if {@code file} does not exist
   */
  void put(String key, Path file) throws IOException;

  /**
   * Creates blob {@code key} with {@code data} if no blob has that key, atomically.
   *
   * @return true if this call created the blob, false if the key already existed (the existing blob
   *     is left unchanged)
   */
  boolean putIfAbsent(String key, byte[] data) throws IOException;

  /**
   * Creates blob {@code key} from the local file {@code file} if no blob has that key, atomically;
   * see {@link #put(String, Path)} for how the file is treated.
   *
   * @return true if this call created the blob, false if the key already existed
   */
  boolean putIfAbsent(String key, Path file) throws IOException;

  /**
   * Every blob whose key starts with {@code prefix} (plain string prefix: {@code "a/b"} matches
   * {@code "a/b/c"}, {@code "a/bc"} and {@code "a/b-1"}), sorted by key. The empty prefix lists
   * everything. A blob written or deleted while the listing runs may or may not be in it.
   *
   * @throws IllegalArgumentException if the prefix holds characters no key may hold, starts with
   *     {@code '/'} or has an empty, {@code '.'} or {@code '..'} segment
   */
  List<BlobInfo> list(String prefix) throws IOException;

  /**
   * Deletes blob {@code key}.
   *
   * @return true if this call deleted it, false if there was no such blob
   */
  boolean delete(String key) throws IOException;

  /** The URI that names this store, as accepted by {@link BlobStores#open(String)}. */
  String uri();

  /** Releases the store's resources; idempotent. */
  @Override
  void close() throws IOException;
}
