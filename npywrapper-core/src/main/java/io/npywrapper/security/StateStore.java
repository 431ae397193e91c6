package io.npywrapper.security;

import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.NoSuchBlobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versioned security state in a store: {@code _security/state/v<20-digit version>.json}, each a
 * whole state, published with put-if-absent like collection manifests. A change reads the newest
 * version, applies itself and publishes the next version; when another process published that
 * version first it re-reads and applies itself again, so no change is lost. Readers keep the newest
 * state in memory and look for a newer version (one or two {@code stat}s) at most once per refresh
 * interval, or when asked to.
 *
 * <p>Only the newest {@link #KEEP_VERSIONS} versions are kept: after each commit the committer
 * deletes older ones, oldest first (the audit log keeps the history of changes). Pruning never lets
 * a stale writer re-create a deleted version: right before publishing {@code v(N+1)} a writer
 * checks that its base {@code vN} still exists (it is deleted only once {@code v(N+1)} exists, as
 * deletion goes oldest first and keeps the newest), and right after it checks that no version
 * {@value #KEEP_VERSIONS} or more above its own exists (which would mean its slot had been pruned
 * while it stalled between the two checks); then it removes its object and reports the outcome as
 * unknown. Readers find the newest version by listing whenever their own version is gone, and
 * re-list when a version they were about to read is pruned under them.
 *
 * <p>Thread-safe.
 */
final class StateStore {
  static final String PREFIX = "_security/state/";

  /** Versions kept; older ones are deleted after each commit. */
  static final int KEEP_VERSIONS = 100;

  private static final System.Logger LOG = System.getLogger(StateStore.class.getName());
  private static final Pattern KEY = Pattern.compile("_security/state/v(\\d{20})\\.json");
  private static final int MAX_ATTEMPTS = 100;
  private static final int MAX_READ_ATTEMPTS = 20;

  /** One change, applied to the newest state; may run more than once when it has to rebase. */
  interface Change {
    void apply(SecurityState base, SecurityState.Draft next);
  }

  private final BlobStore store;
  private final Clock clock;
  private final long refreshNanos;
  private final int keep;
  private final AtomicLong nextCheck = new AtomicLong();
  private volatile SecurityState current;

  private StateStore(
      BlobStore store, Clock clock, Duration refresh, int keep, SecurityState current) {
    this.store = store;
    this.clock = clock;
    this.refreshNanos = refresh.toNanos();
    this.keep = keep;
    this.current = current;
    this.nextCheck.set(System.nanoTime() + refreshNanos);
  }

  static StateStore open(BlobStore store, Clock clock, Duration refresh) throws IOException {
    return open(store, clock, refresh, KEEP_VERSIONS);
  }

  /** As {@link #open(BlobStore, Clock, Duration)}, keeping the newest {@code keep} versions. */
  static StateStore open(BlobStore store, Clock clock, Duration refresh, int keep)
      throws IOException {
    if (keep < 2) {
      throw new IllegalArgumentException("must keep at least 2 security versions, got " + keep);
    }
    StateStore s = new StateStore(store, clock, refresh, keep, SecurityState.empty());
    s.current = s.newest(SecurityState.empty());
    return s;
  }

  static String key(long version) {
    return String.format("%sv%020d.json", PREFIX, version);
  }

  /** The version numbers present, ascending. */
  List<Long> versions() throws IOException {
    List<Long> out = new ArrayList<>();
    for (BlobInfo b : store.list(PREFIX)) {
      Matcher m = KEY.matcher(b.key());
      if (m.matches()) {
        out.add(Long.parseLong(m.group(1)));
      }
    }
    Collections.sort(out);
    return out;
  }

  /**
   * The newest state in the store (found by listing), or {@code seen} when it is as new. A version
   * deleted between the listing and the read (pruned because many newer ones appeared) makes it
   * list again.
   */
  private SecurityState newest(SecurityState seen) throws IOException {
    for (int attempt = 1; ; attempt++) {
      List<Long> vs = versions();
      long v = vs.isEmpty() ? 0 : vs.getLast();
      if (v <= seen.version) {
        return seen;
      }
      try {
        return read(v).state();
      } catch (NoSuchBlobException pruned) {
        if (attempt >= MAX_READ_ATTEMPTS) {
          throw new IOException(
              store.uri()
                  + "/"
                  + PREFIX
                  + ": the newest security version was deleted before it could be read, "
                  + MAX_READ_ATTEMPTS
                  + " times in a row",
              pruned);
        }
      }
    }
  }

  /** The state as last seen, checked for a newer version at most once per refresh interval. */
  SecurityState current() {
    long now = System.nanoTime();
    long due = nextCheck.get();
    if (now - due >= 0 && nextCheck.compareAndSet(due, now + refreshNanos)) {
      try {
        refresh();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the security state in " + store.uri(), e);
      }
    }
    return current;
  }

  /**
   * Looks for newer versions now and returns the newest state. Costs one {@code stat} when nothing
   * changed and the own version still exists, and a listing plus one read otherwise.
   */
  SecurityState refresh() throws IOException {
    synchronized (this) {
      SecurityState seen = current;
      long v = seen.version;
      boolean behind =
          v == 0 // a first version may have come, and even been pruned: list
              || store.stat(key(v + 1)).isPresent()
              || store.stat(key(v)).isEmpty(); // pruned: many newer versions exist
      if (behind) {
        current = newest(seen);
      }
      return current;
    }
  }

  private record Read(SecurityState state, String commitId) {}

  private Read read(long version) throws IOException {
    String k = key(version);
    byte[] json = store.read(k);
    return new Read(
        SecurityState.parse(json, store.uri() + "/" + k, version), SecurityState.commitIdOf(json));
  }

  /**
   * Applies {@code change} to the newest state and publishes the result, then deletes versions
   * older than the newest {@link #KEEP_VERSIONS}.
   *
   * @param actor who makes the change, recorded in the document
   * @param what a short description, recorded in the document
   * @return the state published
   * @throws IllegalArgumentException or another exception thrown by {@code change}; nothing is
   *     published then
   * @throws IOException when the store fails, or when the outcome is unknown (the message says so)
   */
  SecurityState commit(String actor, String what, Change change) throws IOException {
    long backoff = 1;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      SecurityState base = refresh();
      SecurityState.Draft draft = base.draft();
      change.apply(base, draft);
      SecurityState next = draft.build();
      String commitId = UUID.randomUUID().toString();
      byte[] json = next.toJson(actor, what, clock.instant(), commitId);
      // A base pruned while the change was applied is stale: its successor exists. Retry.
      if (base.version > 0 && store.stat(key(base.version)).isEmpty()) {
        continue;
      }
      if (publish(next.version, json, commitId)) {
        List<Long> present = checkNotResurrected(next.version, commitId);
        synchronized (this) {
          if (current.version < next.version) {
            current = next;
          }
        }
        prune(present);
        return next;
      }
      sleep(ThreadLocalRandom.current().nextLong(backoff + 1));
      backoff = Math.min(200, backoff * 2);
    }
    throw new IOException(
        store.uri()
            + "/"
            + PREFIX
            + ": gave up after "
            + MAX_ATTEMPTS
            + " attempts; other"
            + " processes changed the security state every time");
  }

  /**
   * After publishing {@code version}: the versions present (empty when they cannot be listed).
   *
   * @throws IOException with an unknown outcome when a version {@code keep} or more above ours
   *     exists: our slot had been published and pruned before, so what we put is a stale copy. It
   *     is removed; the change may or may not be in the newest state (a writer that stalls while
   *     {@code keep} other changes commit cannot tell).
   */
  private List<Long> checkNotResurrected(long version, String commitId) throws IOException {
    List<Long> present;
    try {
      present = versions();
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          store.uri() + "/" + PREFIX + ": cannot list versions after a commit; not pruning",
          e);
      return List.of();
    }
    if (present.isEmpty() || present.getLast() < version + keep) {
      return present;
    }
    try {
      if (read(version).commitId().equals(commitId)) {
        store.delete(key(version));
      }
    } catch (NoSuchBlobException gone) {
      // pruned already
    }
    throw new IOException(
        store.uri()
            + "/"
            + key(version)
            + ": this process stalled while "
            + (present.getLast() - version)
            + " newer security versions were committed, so its version was a stale copy and was"
            + " removed; the change may or may not be visible: read the state to find out");
  }

  /** Deletes versions older than the newest {@code keep} of {@code present}, oldest first. */
  private void prune(List<Long> present) {
    if (present.size() <= keep) {
      return;
    }
    long newest = present.getLast();
    for (long v : present) {
      if (v > newest - keep) {
        return;
      }
      try {
        store.delete(key(v));
      } catch (IOException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            store.uri() + "/" + key(v) + ": cannot delete an old security version; next time",
            e);
        return; // oldest first, always: stop at the first failure
      }
    }
  }

  /** Put-if-absent; an I/O error is resolved by reading the version back. */
  private boolean publish(long version, byte[] json, String commitId) throws IOException {
    try {
      return store.putIfAbsent(key(version), json);
    } catch (IOException e) {
      try {
        return read(version).commitId().equals(commitId);
      } catch (NoSuchBlobException gone) {
        throw e; // nothing published: a known failure
      } catch (IOException again) {
        IOException unknown =
            new IOException(
                store.uri()
                    + "/"
                    + key(version)
                    + ": publishing failed and reading it back failed too; the change may or"
                    + " may not be visible",
                e);
        unknown.addSuppressed(again);
        throw unknown;
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a security change", e);
    }
  }
}
