package io.npywrapper.security;

import io.npywrapper.store.BlobInfo;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.NoSuchBlobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
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
 * state in memory and look for a newer version (one {@code stat}) at most once per refresh
 * interval, or when asked to.
 *
 * <p>Thread-safe.
 */
final class StateStore {
  static final String PREFIX = "_security/state/";
  private static final Pattern KEY = Pattern.compile("_security/state/v(\\d{20})\\.json");
  private static final int MAX_ATTEMPTS = 100;

  /** One change, applied to the newest state; may run more than once when it has to rebase. */
  interface Change {
    void apply(SecurityState base, SecurityState.Draft next);
  }

  private final BlobStore store;
  private final Clock clock;
  private final long refreshNanos;
  private final AtomicLong nextCheck = new AtomicLong();
  private volatile SecurityState current;

  private StateStore(BlobStore store, Clock clock, Duration refresh, SecurityState current) {
    this.store = store;
    this.clock = clock;
    this.refreshNanos = refresh.toNanos();
    this.current = current;
    this.nextCheck.set(System.nanoTime() + refreshNanos);
  }

  static StateStore open(BlobStore store, Clock clock, Duration refresh) throws IOException {
    long newest = 0;
    for (BlobInfo b : store.list(PREFIX)) {
      Matcher m = KEY.matcher(b.key());
      if (m.matches()) {
        newest = Math.max(newest, Long.parseLong(m.group(1)));
      }
    }
    StateStore s = new StateStore(store, clock, refresh, SecurityState.empty());
    if (newest > 0) {
      s.current = s.read(newest).state();
    }
    return s;
  }

  static String key(long version) {
    return String.format("%sv%020d.json", PREFIX, version);
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

  /** Looks for newer versions now and returns the newest state. */
  SecurityState refresh() throws IOException {
    synchronized (this) {
      SecurityState seen = current;
      long v = seen.version;
      while (store.stat(key(v + 1)).isPresent()) {
        v++;
      }
      if (v != seen.version) {
        current = read(v).state();
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
   * Applies {@code change} to the newest state and publishes the result.
   *
   * @param actor who makes the change, recorded in the document
   * @param what a short description, recorded in the document
   * @return the state published
   * @throws IllegalArgumentException or another exception thrown by {@code change}; nothing is
   *     published then
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
      if (publish(next.version, json, commitId)) {
        synchronized (this) {
          if (current.version < next.version) {
            current = next;
          }
        }
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
