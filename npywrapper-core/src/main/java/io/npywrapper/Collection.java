package io.npywrapper;

import io.npywrapper.collection.CollectionAdmin;
import io.npywrapper.collection.CollectionEngine;
import io.npywrapper.collection.CollectionSpec;
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
 * <p>Thread-safe: any number of threads may read and write.
 */
public final class Collection implements AutoCloseable {
  private final CollectionEngine engine;
  private final Consumer<Collection> onClose;

  Collection(CollectionEngine engine, Consumer<Collection> onClose) {
    this.engine = engine;
    this.onClose = onClose;
  }

  public String name() {
    return engine.name();
  }

  public CollectionSpec spec() {
    return engine.spec();
  }

  /**
   * Adds rows with new ids (or assigned int64 ids when the rows carry none).
   *
   * @return the rows' ids
   */
  public Ids add(Rows rows) throws IOException {
    return engine.add(rows);
  }

  /** Adds {@code vectors} with {@code ids}. */
  public Ids add(float[][] vectors, long... ids) throws IOException {
    return add(Rows.of(vectors).withIds(ids));
  }

  /** Adds or replaces rows by id. */
  public Ids upsert(Rows rows) throws IOException {
    return engine.upsert(rows);
  }

  /**
   * Deletes rows by id; absent ids are ignored.
   *
   * @return how many rows were deleted
   */
  public long delete(Ids ids) throws IOException {
    return engine.delete(ids);
  }

  /** The live rows with these ids, in the order asked; absent ids are left out. */
  public List<Row> get(Ids ids) throws IOException {
    return engine.snapshot().get(ids);
  }

  /** The row with {@code id} (a Long/Integer or a String), if live. */
  public Optional<Row> get(Object id) throws IOException {
    return engine.snapshot().get(id);
  }

  /** Live rows now. */
  public long count() throws IOException {
    return engine.snapshot().count();
  }

  /** A consistent view of the collection as of now. */
  public Snapshot snapshot() throws IOException {
    return engine.snapshot();
  }

  /** A read-only view of committed version {@code version}. */
  public Snapshot atVersion(long version) throws IOException {
    return engine.atVersion(version);
  }

  /**
   * A new query of this collection, to chain: {@code query().where("price <
   * 50").nearest(v).limit(10).select("price").execute()}. See {@link Query}.
   */
  public Query query() {
    return Query.on(engine);
  }

  /** Every retained version, oldest first. */
  public List<VersionInfo> versions() throws IOException {
    return engine.versions();
  }

  /** Commits acknowledged writes into a segment now. */
  public void flush() throws IOException {
    engine.flush();
  }

  /** Picks up commits of other processes (flushing this one's writes first). */
  public void refresh() throws IOException {
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
    return CollectionAdmin.addAttributes(engine, types);
  }

  /** The collection's key/value properties at the current version. */
  public Map<String, String> properties() throws IOException {
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
    return CollectionAdmin.updateProperties(engine, properties, List.of());
  }

  /** Removes collection properties (absent keys are ignored); returns the properties now. */
  public Map<String, String> removeProperties(java.util.Collection<String> keys)
      throws IOException {
    return CollectionAdmin.updateProperties(engine, Map.of(), keys);
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
    return CollectionAdmin.updateSegmentProperties(engine, segmentId, properties, List.of());
  }

  /** Removes properties of segment {@code segmentId}; returns its properties now. */
  public Map<String, String> removeSegmentProperties(
      String segmentId, java.util.Collection<String> keys) throws IOException {
    return CollectionAdmin.updateSegmentProperties(engine, segmentId, Map.of(), keys);
  }

  /** Every segment of the current version, in commit order. */
  public List<SegmentInfo> segments() throws IOException {
    return CollectionAdmin.segments(engine, null);
  }

  /**
   * The segments whose properties match {@code filter} (docs/FILTERS.md; every property is a
   * string, a missing key is NULL).
   *
   * @throws io.npywrapper.meta.filter.FilterException for a malformed filter
   */
  public List<SegmentInfo> segments(String filter) throws IOException {
    return CollectionAdmin.segments(engine, PropertyFilter.parse(filter));
  }

  /**
   * Builds the graph index of every segment that lacks one (segments under {@link
   * io.npywrapper.collection.IndexOptions#minRows} rows excepted) with the database's index
   * options, committing each as it is done; returns when all are built. Queries use an index as
   * soon as its commit is visible and scan unindexed segments exactly meanwhile.
   */
  public SegmentIndexer.Result buildIndexes() throws IOException {
    return new SegmentIndexer(engine).buildMissing();
  }

  /** As {@link #buildIndexes()} with other options (m, efConstruction, threads, minRows). */
  public SegmentIndexer.Result buildIndexes(IndexOptions options) throws IOException {
    return new SegmentIndexer(engine).buildMissing(options, () -> false);
  }

  /** The engine, for the command line and server of this project. */
  public CollectionEngine engine() {
    return engine;
  }

  /** Flushes acknowledged writes and releases the collection's files. */
  @Override
  public void close() throws IOException {
    try {
      engine.close();
    } finally {
      onClose.accept(this);
    }
  }
}
