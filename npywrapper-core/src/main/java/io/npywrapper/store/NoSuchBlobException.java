package io.npywrapper.store;

import java.nio.file.NoSuchFileException;

/**
 * Thrown when an operation needs a blob that does not exist. It is a {@link NoSuchFileException} so
 * that code written against files handles it unchanged; {@link #getFile()} returns the key. The
 * message names the store's URI and the key.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NoSuchBlobException extends NoSuchFileException {
  private static final long serialVersionUID = 1L;

  private final String storeUri;

  public NoSuchBlobException(String storeUri, String key) {
    super(key, null, "no such blob");
    this.storeUri = storeUri;
  }

  /** The URI of the store that was asked. */
  public String storeUri() {
    return storeUri;
  }

  /** The key that was asked for. */
  public String key() {
    return getFile();
  }

  @Override
  public String getMessage() {
    return "store " + storeUri + ": no such blob '" + getFile() + "'";
  }
}
