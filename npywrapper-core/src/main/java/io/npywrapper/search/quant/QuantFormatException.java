package io.npywrapper.search.quant;

import java.io.IOException;

/**
 * A quantization file ({@code vectors.i8.params} or {@code vectors.i8.npy}) that is corrupt,
 * truncated, of a format version this build cannot read, or inconsistent with its partner file. The
 * message names the file and states what was expected and what was found. Immutable and
 * thread-safe.
 */
public final class QuantFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;

  public QuantFormatException(String file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public QuantFormatException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The path of the offending file. */
  public String file() {
    return file;
  }
}
