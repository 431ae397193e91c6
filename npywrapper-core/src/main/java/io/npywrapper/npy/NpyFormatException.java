package io.npywrapper.npy;

import java.io.IOException;

/**
 * The one exception the codec throws for a file (or bytes) that is not a valid, supported {@code
 * .npy} or {@code .npz}. Its message always names the source (a file path or a description of the
 * bytes) and what is wrong with it: expected versus found.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NpyFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;

  public NpyFormatException(String source, String problem) {
    super(source + ": " + problem);
    this.source = source;
  }

  public NpyFormatException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.source = source;
  }

  /** The file path or description of the bytes that failed to parse. */
  public String source() {
    return source;
  }
}
