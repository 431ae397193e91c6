package io.npywrapper.collection;

import java.io.IOException;

/**
 * A file was written by a newer npyWrapper whose format this version cannot read. The message names
 * the file and both versions. Thread-safe.
 */
public class FormatTooNewException extends IOException {
  private static final long serialVersionUID = 1L;

  public FormatTooNewException(String file, int found, int supported) {
    super(
        file
            + ": format version "
            + found
            + " is newer than this npyWrapper supports ("
            + supported
            + "); upgrade npyWrapper to read it");
  }
}
