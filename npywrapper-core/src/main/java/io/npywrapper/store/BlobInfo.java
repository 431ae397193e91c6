package io.npywrapper.store;

import java.util.Objects;

/**
 * What a {@link BlobStore} knows about one stored blob: its key and its size in bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the blob's key, valid per {@link Keys#check}
 * @param size the blob's size in bytes, never negative
 */
public record BlobInfo(String key, long size) {
  public BlobInfo {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("blob '" + key + "': size must be >= 0, got " + size);
    }
  }
}
