package io.npywrapper.collection;

import java.io.IOException;

/**
 * A commit's outcome could not be determined: the store failed while publishing the manifest and
 * again while we re-read it. The commit may or may not be visible; nothing was deleted. The writes
 * remain in the write-ahead log and are committed exactly once on a later flush or recovery.
 * Thread-safe.
 */
public class CommitStateUnknownException extends IOException {
  private static final long serialVersionUID = 1L;

  public CommitStateUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
