package io.npywrapper.npy;

/**
 * How a writer publishes its file. By default a write refuses to replace an existing file and
 * forces data and directory entry to disk before it returns (an acknowledged file survives a
 * crash). Immutable and thread-safe.
 *
 * @param overwrite replace an existing file atomically instead of failing
 * @param sync fsync the file and its directory before publishing
 */
public record WriteOptions(boolean overwrite, boolean sync) {

  /** Never overwrite; fsync. */
  public static final WriteOptions DEFAULT = new WriteOptions(false, true);

  /** The same options, replacing an existing file. */
  public WriteOptions overwriting() {
    return new WriteOptions(true, sync);
  }

  /** The same options without fsync: faster, not crash-safe (for scratch files). */
  public WriteOptions withoutSync() {
    return new WriteOptions(overwrite, false);
  }
}
