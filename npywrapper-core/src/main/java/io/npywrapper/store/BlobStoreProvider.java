package io.npywrapper.store;

import java.io.IOException;
import java.net.URI;

/**
 * Opens {@link BlobStore}s for one URI scheme, such as {@code s3} or {@code gs}. Modules that bring
 * a cloud SDK register an implementation in {@code
 * META-INF/services/io.npywrapper.store.BlobStoreProvider}; {@link BlobStores#open(String)} finds
 * it with {@link java.util.ServiceLoader}, so core never depends on an SDK. The {@code file} scheme
 * is built in and cannot be replaced.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface BlobStoreProvider {
  /** The URI scheme this provider handles, in lower case, for example {@code "s3"}. */
  String scheme();

  /**
   * Opens the store that {@code uri} names. The caller owns the returned store and closes it.
   *
   * @throws IllegalArgumentException if the URI is malformed for this scheme (the message says what
   *     form is expected)
   * @throws IOException if the store cannot be reached
   */
  BlobStore open(URI uri) throws IOException;
}
