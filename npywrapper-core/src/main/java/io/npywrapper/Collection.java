package io.npywrapper;

import io.npywrapper.collection.CollectionAdmin;
import io.npywrapper.collection.CollectionEngine;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Compactor;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.IndexOptions;
import io.npywrapper.collection.Row;
import io.npywrapper.collection.Rows;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.collection.SegmentInfo;
import io.npywrapper.collection.Snapshot;
import io.npywrapper.collection.VersionInfo;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.PropertyFilter;
import io.npywrapper.query.Query;
import io.npywrapper.security.AccessDeniedException;
import io.npywrapper.security.Permission;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A collection of vectors with ids and attributes, stored as immutable {@code .npy} segments under
 * versioned manifests. Writes are durable when they return; reads see a consistent snapshot.
 * Obtained from {@link Database}.
 *
 * <p>A collection obtained from a database opened as a principal ({@link Database#as}) checks the
 * principal's permission on every call and throws {@link AccessDeniedException} before doing
 * anything it lacks: READ to read (get, count, query, snapshots, versions, properties, segments),
 * WRITE to change rows or properties (add, upsert, delete, flush, compact), ADMIN to alter the
 * schema. Its writes are audited. Closing such a collection does nothing: the database owns it.
 *
 * <p>Thread-safe: any number of threads may read and write.
 */
public final class Collection implements AutoCloseable {
  private final CollectionEngine engine;
  private final Consumer<Collection> onClose;
  private final Guard guard;

  Collection(CollectionEngine engine, Consumer<Collection> onClose) {
    this(engine, onClose, Guard.OWNER);
  }

  private Collection(CollectionEngine engine, Consumer<Collection> onClose, Guard guard) {
    this.engine = engine;
    this.onClose = onClose;
    this.guard = guard;
  }

  /** This collection seen through {@code g}, sharing the engine. */
  Collection as(Guard g) {
    return g == Guard.OWNER ? this : new Collection(engine, c -> {}, g);
  }

  private void read() {
    guard.check(engine.name(), Permission.READ);
  }

  private void write() {
    guard.check(engine.name(), Permission.WRITE);
  }

  public String name() {
    return engine.name();
  }

  public CollectionSpec spec() {
    read();
    return engine.spec();
  }

  /**
   * Adds rows with new ids (or assigned int64 ids when the rows carry none).
   *
   * @return the rows' ids
   */
  public Ids add(Rows rows) throws IOException {
    write();
    Ids ids = engine.add(rows);
    guard.wrote("add", name(), ids.size() + " rows");
    return ids;
  }

  /** Adds {@code vectors} with {@code ids}. */
  public Ids add(float[][] vectors, long... ids) throws IOException {
    return add(Rows.of(vectors).withIds(ids));
  }

  /** Adds or replaces rows by id. */
  public Ids upsert(Rows rows) throws IOException {
    write();
    Ids ids = engine.upsert(rows);
    guard.wrote("upsert", name(), ids.size() + " rows");
    return ids;
  }

  /**
   * Deletes rows by id; absent ids are ignored.
   *
   * @return how many rows were deleted
   */
  public long delete(Ids ids) throws IOException {
    write();
    long n = engine.delete(ids);
    guard.wrote("delete", name(), n + " of " + ids.size() + " ids deleted");
    return n;
  }

  /** The live rows with these ids, in the order asked; absent ids are left out. */
  public List<Row> get(Ids ids) throws IOException {
    read();
    return engine.snapshot().get(ids);
  }

  /** The row with {@code id} (a Long/Integer or a String), if live. */
  public Optional<Row> get(Object id) throws IOException {
    read();
    return engine.snapshot().get(id);
  }

  /** Live rows now. */
  public long count() throws IOException {
    read();
    return engine.snapshot().count();
  }

  /** A consistent view of the collection as of now. */
  public Snapshot snapshot() throws IOException {
    read();
    return engine.snapshot();
  }

  /** A read-only view of committed version {@code version}. */
  public Snapshot atVersion(long version) throws IOException {
    read();
    return engine.atVersion(version);
  }

  /**
   * A new query of this collection, to chain: {@code query().where("price <
   * 50").nearest(v).limit(10).select("price").execute()}. See {@link Query}.
   */
  public Query query() {
    read();
    return Query.on(engine);
  }

  /** Every retained version, oldest first. */
  public List<VersionInfo> versions() throws IOException {
    read();
    return engine.versions();
  }

  /** Commits acknowledged writes into a segment now. */
  public void flush() throws IOException {
    write();
    engine.flush();
    guard.wrote("flush", name(), "");
  }

  /** Picks up commits of other processes (flushing this one's writes first). */
  public void refresh() throws IOException {
    read();
    engine.refresh();
  }

  /**
   * Adds attributes to the schema (commit {@code alter_schema}). Rows written before read the new
   * attributes as null; later writes may set them. Writers of other processes pick the new schema
   * up when they next refresh, or when a write names an attribute they do not know yet.
   *
   * @return the schema now
   * @throws IllegalArgumentException for no attributes, an invalid name, or a name that exists with
   *     another type; nothing is committed
   */
  public Schema addAttributes(Map<String, AttributeType> types) throws IOException {
    guard.check(engine.name(), Permission.ADMIN);
    Schema schema = CollectionAdmin.addAttributes(engine, types);
    guard.wrote("alter_schema", name(), "added " + types.keySet());
    return schema;
  }

  /** The collection's key/value properties at the current version. */
  public Map<String, String> properties() throws IOException {
    read();
    return CollectionAdmin.properties(engine);
  }

  /**
   * Adds or replaces collection properties (commit {@code set_properties}). Keys are named like
   * attributes, so filters can use them.
   *
   * @return the properties now
   * @throws IllegalArgumentException for an invalid key or value; nothing is committed
   */
  public Map<String, String> setProperties(Map<String, String> properties) throws IOException {
    return updateProperties(properties, List.of());
  }

  /** Removes collection properties (absent keys are ignored); returns the properties now. */
  public Map<String, String> removeProperties(java.util.Collection<String> keys)
      throws IOException {
    return updateProperties(Map.of(), keys);
  }

  /**
   * Sets and removes collection properties in one commit ({@code set_properties}).
   *
   * @return the properties now
   * @throws IllegalArgumentException for an invalid key or value; nothing is committed
   */
  public Map<String, String> updateProperties(
      Map<String, String> set, java.util.Collection<String> remove) throws IOException {
    write();
    Map<String, String> now = CollectionAdmin.updateProperties(engine, set, remove);
    guard.wrote("set_properties", name(), "set " + set.keySet() + " removed " + remove);
    return now;
  }

  /**
   * Adds or replaces properties of segment {@code segmentId} (commit {@code
   * set_segment_properties}).
   *
   * @return the segment's properties now
   * @throws java.util.NoSuchElementException when the current version has no such segment
   */
  public Map<String, String> setSegmentProperties(String segmentId, Map<String, String> properties)
      throws IOException {
    return updateSegmentProperties(segmentId, properties, List.of());
  }

  /** Removes properties of segment {@code segmentId}; returns its properties now. */
  public Map<String, String> removeSegmentProperties(
      String segmentId, java.util.Collection<String> keys) throws IOException {
    return updateSegmentProperties(segmentId, Map.of(), keys);
  }

  /** Sets and removes properties of segment {@code segmentId} in one commit. */
  public Map<String, String> updateSegmentProperties(
      String segmentId, Map<String, String> set, java.util.Collection<String> remove)
      throws IOException {
    write();
    Map<String, String> now =
        CollectionAdmin.updateSegmentProperties(engine, segmentId, set, remove);
    guard.wrote(
        "set_segment_properties",
        name(),
        segmentId + " set " + set.keySet() + " removed " + remove);
    return now;
  }

  /** Every segment of the current version, in commit order. */
  public List<SegmentInfo> segments() throws IOException {
    read();
    return CollectionAdmin.segments(engine, null);
  }

  /**
   * The segments whose properties match {@code filter} (docs/FILTERS.md; every property is a
   * string, a missing key is NULL).
   *
   * @throws io.npywrapper.meta.filter.FilterException for a malformed filter
   */
  public List<SegmentInfo> segments(String filter) throws IOException {
    read();
    return CollectionAdmin.segments(engine, PropertyFilter.parse(filter));
  }

  /**
   * Builds the graph index of every segment that lacks one (segments under {@link
   * io.npywrapper.collection.IndexOptions#minRows} rows excepted) with the database's index
   * options, committing each as it is done; returns when all are built. Queries use an index as
   * soon as its commit is visible and scan unindexed segments exactly meanwhile.
   */
  public SegmentIndexer.Result buildIndexes() throws IOException {
    write();
    SegmentIndexer.Result r = new SegmentIndexer(engine).buildMissing();
    guard.wrote("build_index", name(), r.built() + " indexes, " + r.rowsIndexed() + " rows");
    return r;
  }

  /**
   * As {@link #buildIndexes()} with other options (m, efConstruction, threads, minRows,
   * quantization); indexes of another quantization than {@code options.quantization()} are rebuilt
   * too.
   */
  public SegmentIndexer.Result buildIndexes(IndexOptions options) throws IOException {
    write();
    SegmentIndexer.Result r = new SegmentIndexer(engine).buildMissing(options, true, () -> false);
    guard.wrote("build_index", name(), r.built() + " indexes, " + r.rowsIndexed() + " rows");
    return r;
  }

  /**
   * Merges small or delete-heavy segments now (commit {@code compact}).
   *
   * @return what was merged; zero inputs when nothing was worth it
   */
  public Compactor.Result compact() throws IOException {
    write();
    Compactor.Result r = new Compactor(engine).compact();
    guard.wrote("compact", name(), r.inputSegments() + " segments into " + r.outputSegments());
    return r;
  }

  /**
   * The engine, for the command line and server of this project. It bypasses every check, so only
   * the owner may have it.
   *
   * @throws AccessDeniedException for a collection of a database opened as a principal
   */
  public CollectionEngine engine() {
    if (!guard.isOwner()) {
      throw new AccessDeniedException(
          "user '"
              + guard.principal().user()
              + "' may not use the raw engine of collection '"
              + engine.name()
              + "' (owner only)");
    }
    return engine;
  }

  /**
   * Flushes acknowledged writes and releases the collection's files; does nothing for a collection
   * of a database opened as a principal (the database owns it).
   */
  @Override
  public void close() throws IOException {
    if (guard != Guard.OWNER) {
      return; // a view's collection: the database owns it
    }
    try {
      engine.close();
    } finally {
      onClose.accept(this);
    }
  }
}
