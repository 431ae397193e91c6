package io.npywrapper.collection;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The storage engine of one open collection: the write path (validate, log, memtable), flushes into
 * segments, commits, snapshots, time travel and recovery of logs left by dead writers. Applications
 * reach it through {@code io.npywrapper.Collection}.
 *
 * <p>Thread-safe: writes are serialized by one lock (held briefly, and during a flush); reads take
 * an immutable {@link Snapshot} and never lock.
 */
public final class CollectionEngine implements Closeable {
  private final CollectionFiles files;
  private final EngineOptions options;
  private final Committer committer;
  private final MemTableCommit memCommit;
  private final Path walDir;
  private final String writerId;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, SegmentReader> readers = new ConcurrentHashMap<>();
  private volatile State state;
  private volatile long lastRefresh;
  private WriteAheadLog wal;
  private BackgroundCompactor compactor;
  private final SegmentGraphs graphs;
  private BackgroundIndexer indexer;
  private boolean closed;
  // Guarded by writeLock: a flush failed, perhaps after its manifest was published (see adopt).
  private boolean flushFailed;
  // Guarded by writeLock: memtable rows at which a write next tries to flush (after a failure).
  private long autoFlushAt;

  /** A committed manifest with its opened segments, and the memtable on top of it. */
  private record State(
      Manifest manifest, List<SegmentReader> segments, List<DeleteSet> deletes, MemTable mem) {}

  private CollectionEngine(CollectionFiles files, EngineOptions options, Path walDir) {
    this.files = files;
    this.options = options;
    this.committer = new Committer(files);
    this.memCommit = new MemTableCommit(files, committer, this::snapshotOf);
    this.walDir = walDir;
    this.writerId = "w-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    this.graphs = new SegmentGraphs(files);
  }

  /**
   * Creates a collection: publishes version 1 with put-if-absent.
   *
   * @throws IllegalStateException when a collection of that name exists
   */
  static CollectionEngine create(
      CollectionFiles files,
      CollectionSpec spec,
      Map<String, String> properties,
      EngineOptions options,
      Path walDir)
      throws IOException {
    Manifest v1 =
        new Manifest(
            1,
            Manifest.newCommitId(),
            System.currentTimeMillis(),
            "create",
            spec,
            properties,
            List.of(),
            Map.of(),
            0);
    if (!new Committer(files).publish(v1)) {
      throw new IllegalStateException("collection '" + spec.name() + "' already exists");
    }
    return open(files, options, walDir);
  }

  /**
   * Opens an existing collection at its newest version and commits what dead writers left in their
   * logs. Reads only the manifest, never the rows.
   */
  static CollectionEngine open(CollectionFiles files, EngineOptions options, Path walDir)
      throws IOException {
    long latest = files.latestVersion();
    if (latest < 0) {
      throw new java.util.NoSuchElementException(
          "no collection '" + files.name + "' in " + files.store.uri());
    }
    CollectionEngine e = new CollectionEngine(files, options, walDir);
    e.state = e.stateOf(files.readManifest(latest), new MemTable());
    e.lastRefresh = System.currentTimeMillis();
    e.recoverDeadWriters();
    if (options.compactionMillis() > 0) {
      e.compactor = new BackgroundCompactor(e, options.compactionMillis());
      e.compactor.start();
    }
    if (options.index().background()) {
      e.indexer = new BackgroundIndexer(e);
      e.indexer.start();
    }
    return e;
  }

  public String name() {
    return files.name;
  }

  public CollectionSpec spec() {
    return state.manifest().spec();
  }

  /** This engine's writer id: the name of its write-ahead-log directory. */
  public String writerId() {
    return writerId;
  }

  private State stateOf(Manifest m, MemTable mem) throws IOException {
    List<SegmentReader> segs = new ArrayList<>(m.segments().size());
    List<DeleteSet> dels = new ArrayList<>(m.segments().size());
    for (SegmentRef ref : m.segments()) {
      segs.add(reader(ref, m.spec()));
      dels.add(
          ref.deletes() == null
              ? DeleteSet.EMPTY
              : DeleteSet.read(files.local(ref.deletes()), ref.rows()));
    }
    return new State(m, segs, dels, mem);
  }

  private SegmentReader reader(SegmentRef ref, CollectionSpec spec) {
    // Segment files never change, so one reader serves every version that lists the segment;
    // only the schema (new attributes) may differ, so key by both.
    String key = ref.id() + "|" + spec.schema().types().keySet();
    return readers.computeIfAbsent(key, k -> new SegmentReader(ref, spec, files::local));
  }

  // ------------------------------------------------------------------ reads

  /** A consistent view of the newest version plus this process's unflushed writes. */
  public Snapshot snapshot() throws IOException {
    maybeRefresh();
    State s = state;
    return new Snapshot(
        s.manifest(), s.segments(), s.deletes(), s.mem(), s.mem().published(), graphs);
  }

  /** A read-only view of committed version {@code version} (time travel). */
  public Snapshot atVersion(long version) throws IOException {
    State s = state;
    if (version == s.manifest().version()) {
      return new Snapshot(s.manifest(), s.segments(), s.deletes(), null, 0, graphs);
    }
    Manifest m;
    try {
      m = files.readManifest(version);
    } catch (io.npywrapper.store.NoSuchBlobException e) {
      throw new java.util.NoSuchElementException(
          "collection '"
              + files.name
              + "' has no version "
              + version
              + " (vacuumed or never committed)");
    }
    State old = stateOf(m, new MemTable());
    return new Snapshot(m, old.segments(), old.deletes(), null, 0, graphs);
  }

  /** Every retained version, oldest first. */
  public List<VersionInfo> versions() throws IOException {
    List<VersionInfo> out = new ArrayList<>();
    for (long v : files.versions()) {
      out.add(VersionInfo.of(files.readManifest(v)));
    }
    return out;
  }

  /**
   * Picks up other writers' commits. With unflushed writes of its own the engine flushes them first
   * (the commit rebases onto the newest version).
   */
  public void refresh() throws IOException {
    writeLock.lock();
    try {
      if (!state.mem().isEmpty()) {
        flushLocked();
      }
      long latest = files.latestVersion();
      if (latest > state.manifest().version()) {
        state = stateOf(files.readManifest(latest), new MemTable());
        nudgeIndexer();
      }
      lastRefresh = System.currentTimeMillis();
    } finally {
      writeLock.unlock();
    }
  }

  private void maybeRefresh() throws IOException {
    long now = System.currentTimeMillis();
    if (now - lastRefresh < options.refreshMillis() || !state.mem().isEmpty()) {
      return;
    }
    if (writeLock.tryLock()) {
      try {
        long latest = files.latestVersion();
        if (state.mem().isEmpty() && latest > state.manifest().version()) {
          state = stateOf(files.readManifest(latest), new MemTable());
          nudgeIndexer();
        }
        lastRefresh = now;
      } finally {
        writeLock.unlock();
      }
    }
  }

  // ------------------------------------------------------------------ writes

  /**
   * Adds rows whose ids must be new. Without ids, consecutive int64 ids are assigned after the
   * largest ever used. Durable (fsynced to the log) when it returns; a flush the write triggers and
   * that fails does not fail the write (it is retried later and reported by {@link #flush}).
   *
   * @return the ids of the rows added
   * @throws IllegalArgumentException for invalid rows or an id that exists; nothing is written
   */
  public Ids add(Rows rows) throws IOException {
    return write(Batch.Op.ADD, rows);
  }

  /** Adds rows, replacing any live rows with the same ids. Durable when it returns. */
  public Ids upsert(Rows rows) throws IOException {
    if (rows.ids() == null) {
      throw new IllegalArgumentException("upsert needs ids");
    }
    return write(Batch.Op.UPSERT, rows);
  }

  private Ids write(Batch.Op op, Rows rows) throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      Ids given = rows.ids();
      if (rows.count() == 0) {
        return given != null ? given : Ids.range(0, 0); // nothing to log, reserve or commit
      }
      if (given == null && spec().idType() != IdType.INT64) {
        throw new IllegalArgumentException(
            "collection '" + files.name + "' has string ids: give ids for every row");
      }
      // Validate everything before anything is written, the commit that reserves ids included.
      Ids checkIds = given != null ? given : Ids.range(0, rows.count());
      Batch b;
      try {
        b = Batch.of(op, rows, checkIds, spec());
      } catch (IllegalArgumentException e) {
        // Another writer may have added attributes since this engine read its version.
        if (!adoptNewerSchema()) {
          throw e;
        }
        b = Batch.of(op, rows, checkIds, spec());
      }
      Ids ids = given;
      if (given == null) {
        ids = reserveIds(rows.count());
        b = b.withIds(ids);
      }
      State s = state;
      Snapshot view =
          new Snapshot(s.manifest(), s.segments(), s.deletes(), s.mem(), s.mem().published());
      if (op == Batch.Op.ADD && rows.ids() != null) {
        for (int i = 0; i < ids.size(); i++) {
          if (view.contains(ids.get(i))) {
            throw new IllegalArgumentException(
                "id "
                    + ids.get(i)
                    + " at position "
                    + i
                    + " already exists; use upsert to replace it");
          }
        }
      }
      apply(s, b, view);
      return ids;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Deletes the live rows with these ids; ids not present are ignored.
   *
   * @return how many rows were deleted
   */
  public long delete(Ids ids) throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      State s = state;
      Snapshot view =
          new Snapshot(s.manifest(), s.segments(), s.deletes(), s.mem(), s.mem().published());
      java.util.LinkedHashSet<Object> present = new java.util.LinkedHashSet<>();
      ids.checkType(spec().idType());
      for (int i = 0; i < ids.size(); i++) {
        if (view.contains(ids.get(i))) {
          present.add(ids.get(i));
        }
      }
      if (present.isEmpty()) {
        return 0;
      }
      Ids toDelete =
          spec().idType() == IdType.INT64
              ? Ids.of(present.stream().mapToLong(o -> (Long) o).toArray())
              : Ids.of(present.toArray(String[]::new));
      apply(s, Batch.delete(toDelete, spec()), view);
      return present.size();
    } finally {
      writeLock.unlock();
    }
  }

  private void apply(State s, Batch b, Snapshot view) throws IOException {
    long seq = wal().append(b.encode());
    s.mem().apply(b, seq, id -> liveInBase(view, id));
    long rows = s.mem().rowsApplied();
    if (rows >= options.flushRows() && rows >= autoFlushAt) {
      try {
        flushLocked();
      } catch (IOException | CommitConflictException e) {
        // The write is acknowledged: logged, fsynced and visible. Failing it now would make the
        // caller retry a write that happened. The flush is tried again once as many rows more
        // have arrived, and by flush() and close(), which report a failure that persists.
        autoFlushAt = rows + options.flushRows();
      }
    }
  }

  /**
   * Moves to the newest version when its schema differs from this engine's (flushing this engine's
   * writes first: they rebase onto it); true if the schema changed.
   */
  private boolean adoptNewerSchema() throws IOException {
    long latest = files.latestVersion();
    if (latest <= state.manifest().version()) {
      return false;
    }
    Manifest newest = files.readManifest(latest);
    if (newest.spec().schema().equals(spec().schema())) {
      return false;
    }
    if (!state.mem().isEmpty()) {
      flushLocked();
      newest = committer.newest(state.manifest());
    }
    state = stateOf(newest, new MemTable());
    return true;
  }

  private static boolean liveInBase(Snapshot view, Object id) {
    try {
      return view.liveInBase(id);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Ids reserveIds(int n) throws IOException {
    return Ids.range(reserveRange(n), n);
  }

  /**
   * Reserves {@code n} consecutive int64 ids with a commit, so concurrent writers never share them;
   * returns the first.
   */
  private long reserveRange(long n) throws IOException {
    if (spec().idType() != IdType.INT64) {
      throw new IllegalArgumentException(
          "collection '" + files.name + "' has string ids: give ids for every row");
    }
    long[] first = new long[1];
    // Ids this process wrote but has not committed yet are not in any manifest's next_id.
    long unflushed = state.mem().maxLongId();
    Manifest m =
        committer.commit(
            state.manifest(),
            base -> {
              first[0] =
                  unflushed == Long.MIN_VALUE
                      ? base.nextId()
                      : Math.max(base.nextId(), unflushed + 1);
              return base.next(
                  "reserve_ids",
                  base.segments(),
                  base.walApplied(),
                  first[0] + n,
                  base.spec(),
                  base.properties());
            });
    adoptIfNoMem(m);
    return first[0];
  }

  /** Moves the state to a just-committed manifest when the memtable does not depend on it. */
  private void adoptIfNoMem(Manifest m) throws IOException {
    if (state.mem().isEmpty()) {
      state = stateOf(m, state.mem());
    }
  }

  private WriteAheadLog wal() throws IOException {
    if (wal == null) {
      wal = WriteAheadLog.create(walDir.resolve(writerId));
    }
    return wal;
  }

  // ------------------------------------------------------------------ flush and commit

  /** Commits every acknowledged write into a new segment (no-op when there are none). */
  public void flush() throws IOException {
    writeLock.lock();
    try {
      flushLocked();
    } finally {
      writeLock.unlock();
    }
  }

  private void flushLocked() throws IOException {
    State s = state;
    if (s.mem().isEmpty()) {
      return;
    }
    long logged = s.mem().lastWalSeq();
    if (flushFailed) {
      s = adoptLandedCommit(s);
      flushFailed = false;
    }
    if (!s.mem().isEmpty()) {
      Manifest committed;
      try {
        committed = memCommit.commit(committedView(s), s.mem(), writerId);
      } catch (IOException | RuntimeException e) {
        flushFailed = true;
        throw e;
      }
      state = stateOf(committed, new MemTable());
      if (compactor != null) {
        compactor.afterFlush(committed);
      }
      nudgeIndexer();
    }
    wal.discardUpTo(logged);
    autoFlushAt = 0;
  }

  /**
   * After a failed flush: a commit whose outcome was unknown may have been published after all. The
   * newest version then records in {@code wal_applied} how far this writer's log it holds; the
   * state moves to that version and the memtable keeps only the writes after it, so nothing is
   * committed twice. Otherwise the state is left as it is.
   */
  private State adoptLandedCommit(State s) throws IOException {
    Manifest newest = committer.newest(s.manifest());
    long applied = newest.walApplied().getOrDefault(writerId, 0L);
    if (applied < s.mem().firstWalSeq()) {
      return s;
    }
    State base = stateOf(newest, new MemTable());
    Snapshot view = new Snapshot(newest, base.segments(), base.deletes(), null, 0);
    MemTable tail = s.mem().after(applied, id -> liveInBase(view, id));
    state = new State(newest, base.segments(), base.deletes(), tail);
    return state;
  }

  /**
   * Commits a change prepared outside the write lock (an import, a compaction): flushes this
   * process's acknowledged writes, then commits {@code change} on the newest version and makes it
   * the current state.
   */
  Manifest commitPrepared(Committer.Change change) throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      flushLocked();
      Manifest m = committer.commit(state.manifest(), change);
      state = stateOf(m, new MemTable());
      nudgeIndexer();
      return m;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Commits a change that only adds a graph index, without flushing this process's writes: the
   * memtable does not depend on indexes. The state moves to the new version when the memtable is
   * empty, else at the next flush (which rebases onto it).
   */
  Manifest commitIndex(Committer.Change change) throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      Manifest m = committer.commit(state.manifest(), change);
      adoptIfNoMem(m);
      return m;
    } finally {
      writeLock.unlock();
    }
  }

  private void nudgeIndexer() {
    if (indexer != null) {
      indexer.nudge();
    }
  }

  /** The opened graph indexes. */
  SegmentGraphs graphs() {
    return graphs;
  }

  /** The committed part of {@code s}: its manifest and segments, without the memtable. */
  private static Snapshot committedView(State s) {
    return new Snapshot(s.manifest(), s.segments(), s.deletes(), null, 0);
  }

  /** A snapshot of the committed state only (no memtable), for background work. */
  Snapshot committedSnapshot() throws IOException {
    State s = state;
    return new Snapshot(s.manifest(), s.segments(), s.deletes(), null, 0);
  }

  /** A snapshot of an arbitrary manifest, sharing this engine's segment readers. */
  Snapshot snapshotOf(Manifest m) throws IOException {
    State s = stateOf(m, new MemTable());
    return new Snapshot(m, s.segments(), s.deletes(), null, 0);
  }

  /** Reserves {@code n} consecutive int64 ids for rows that come without ids; returns the first. */
  long reserve(long n) throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      return reserveRange(n);
    } finally {
      writeLock.unlock();
    }
  }

  EngineOptions options() {
    return options;
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Commits the logs of writers that died: any log directory whose lock is free. Each record is
   * applied exactly once, because the commit records the last sequence number it covers.
   */
  private void recoverDeadWriters() throws IOException {
    for (Path dir : LogRecovery.otherLogs(walDir, writerId)) {
      WriteAheadLog dead = WriteAheadLog.tryOpen(dir);
      if (dead == null) {
        continue; // a live writer holds it
      }
      writeLock.lock();
      try (dead) {
        // Read the newest version now that the log is ours: a recoverer that died after
        // committing this log, or its owner's last flush, may have committed part of it since
        // this engine opened.
        Manifest newest = committer.newest(state.manifest());
        if (newest != state.manifest()) {
          state = stateOf(newest, state.mem());
        }
        String id = dir.getFileName().toString();
        Manifest m = LogRecovery.recover(dead, id, committedView(state), memCommit);
        if (m != null) {
          state = stateOf(m, state.mem());
        }
      } finally {
        writeLock.unlock();
      }
    }
  }

  // ------------------------------------------------------------------ lifecycle

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("collection '" + files.name + "' is closed");
    }
  }

  /** The segments' readers in use, for tools that inspect files. */
  Set<String> openSegmentIds() {
    return readers.keySet();
  }

  CollectionFiles files() {
    return files;
  }

  Committer committer() {
    return committer;
  }

  /**
   * Flushes acknowledged writes, removes the log and unmaps every file. Idempotent. If the flush
   * fails the engine closes anyway and the exception is thrown: the writes stay in the log, whose
   * lock is released, and the next engine to open the collection commits them.
   */
  @Override
  public void close() throws IOException {
    if (compactor != null) {
      compactor.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      try {
        flushLocked();
      } catch (IOException | RuntimeException e) {
        // The acknowledged writes stay in the log. Release its lock without deleting it, so that
        // the next process (or database) to open the collection recovers them, exactly once.
        closed = true;
        if (wal != null) {
          try {
            wal.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
          wal = null;
        }
        throw e;
      }
      if (wal != null) {
        wal.deleteAll();
        wal = null;
      }
      closed = true;
    } finally {
      writeLock.unlock();
      if (closed) {
        graphs.close();
        readers.values().forEach(SegmentReader::close);
      }
    }
  }
}
