package io.npywrapper.collection;

import java.io.IOException;

/**
 * A file npyWrapper owns (manifest, log, segment file, index) failed its checks: bad checksum,
 * wrong size, unparseable content. The message names the file. Thread-safe.
 */
public class CorruptFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptFileException(String file, String problem) {
    super(file + ": corrupt: " + problem);
  }
}
