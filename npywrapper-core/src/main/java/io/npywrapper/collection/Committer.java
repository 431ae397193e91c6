package io.npywrapper.collection;

import io.npywrapper.store.NoSuchBlobException;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The commit protocol of DESIGN.md: build the successor of the newest manifest, publish it with
 * put-if-absent, and when another writer won the version, rebase (build again on the new newest)
 * and retry with jittered exponential backoff. A publish that fails with an I/O error has an
 * unknown outcome: it is resolved by re-reading the version and comparing commit ids, never by
 * deleting files. Thread-safe.
 */
final class Committer {
  /** Builds the successor of {@code base}; may be called again with a newer base to rebase. */
  interface Change {
    Manifest apply(Manifest base) throws IOException;
  }

  static final int MAX_ATTEMPTS = 100;
  private static final int PUBLISH_ATTEMPTS = 5;
  private static final long MAX_BACKOFF_MS = 200;

  private final CollectionFiles files;

  Committer(CollectionFiles files) {
    this.files = files;
  }

  /**
   * Commits {@code change} on top of {@code base} (or a newer manifest if one exists) and returns
   * the manifest published.
   */
  Manifest commit(Manifest base, Change change) throws IOException {
    Manifest current = base;
    long backoff = 1;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Manifest next = change.apply(current);
      if (next.version() != current.version() + 1) {
        throw new IllegalStateException("a change must produce version " + (current.version() + 1));
      }
      if (publish(next)) {
        return next;
      }
      sleep(ThreadLocalRandom.current().nextLong(backoff + 1));
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      // the newest version after the sleep: one read before it is stale whenever another writer
      // committed meanwhile, and a writer committing back to back would then win every time
      current = newest(current);
    }
    throw new CommitConflictException(
        "collection '"
            + files.name
            + "': gave up after "
            + MAX_ATTEMPTS
            + " attempts; other writers committed every time");
  }

  /**
   * Publishes {@code m} with put-if-absent. An I/O error leaves the outcome unknown: it is resolved
   * by reading the version back; when nothing was published the put is tried again, a few times.
   *
   * @return true if {@code m} is published (even if the store lost the acknowledgement), false if
   *     another commit holds its version
   * @throws CommitStateUnknownException if the outcome cannot be found out
   * @throws IOException if every attempt failed and left nothing published (a known failure)
   */
  boolean publish(Manifest m) throws IOException {
    for (int attempt = 1; ; attempt++) {
      IOException failure;
      try {
        return files.putManifest(m);
      } catch (IOException e) {
        failure = e;
      }
      Boolean ours = resolveUnknown(m, failure);
      if (ours != null) {
        return ours;
      }
      if (attempt == PUBLISH_ATTEMPTS) {
        throw failure;
      }
      sleep(10L << attempt);
    }
  }

  /**
   * After an I/O error while publishing: did our manifest land? True if it did, false if another
   * commit's did, null if the version is still free.
   */
  private Boolean resolveUnknown(Manifest ours, IOException cause) throws IOException {
    IOException last = cause;
    for (int i = 0; i < 5; i++) {
      try {
        Manifest there = files.readManifest(ours.version());
        return there.commitId().equals(ours.commitId());
      } catch (NoSuchBlobException e) {
        return null; // nothing was published under that version
      } catch (IOException e) {
        last = e;
        sleep(20L << i);
      }
    }
    CommitStateUnknownException unknown =
        new CommitStateUnknownException(
            "collection '"
                + files.name
                + "': publishing version "
                + ours.version()
                + " failed and re-reading it failed too; the commit may or may not be visible",
            cause);
    unknown.addSuppressed(last);
    throw unknown;
  }

  /** The newest manifest, at least as new as {@code known}. */
  Manifest newest(Manifest known) throws IOException {
    long latest = files.latestVersion();
    if (latest < known.version()) {
      throw new CommitConflictException(
          "collection '" + files.name + "' was dropped or its manifests removed");
    }
    return latest == known.version() ? known : files.readManifest(latest);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitConflictException("interrupted while retrying a commit");
    }
  }
}
