package io.npywrapper.collection;

/**
 * A commit cannot be rebased onto a concurrent one because the two changes really conflict (for
 * example the collection was dropped, or compaction inputs changed too many times). The message
 * says what conflicted. Nothing of the failed commit is visible. Thread-safe.
 */
public class CommitConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CommitConflictException(String message) {
    super(message);
  }
}
