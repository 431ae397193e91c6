package io.npywrapper;

import io.npywrapper.collection.CollectionCatalog;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.meta.filter.PropertyFilter;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An npyWrapper database: the collections stored under one root (a local directory today; {@code
 * s3://} and {@code gs://} URIs through their modules). The embedded entry point:
 *
 * <pre>{@code
 * try (Database db = Database.open("./npyw-data")) {
 *   Collection c = db.create(CollectionSpec.of("docs", 384, Metric.COSINE));
 *   c.add(Rows.of(vectors).withIds(ids));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each collection is opened once per database and shared; closing the database
 * flushes and closes them.
 */
public final class Database implements AutoCloseable {
  private final BlobStore store;
  private final CollectionCatalog catalog;
  private final Map<String, Collection> open = new ConcurrentHashMap<>();

  private Database(BlobStore store, CollectionCatalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /** Opens the database at {@code uri} (a directory path or a store URI) with default options. */
  public static Database open(String uri) throws IOException {
    return open(uri, defaultOptions());
  }

  public static Database open(Path dir) throws IOException {
    return open(dir.toString());
  }

  public static Database open(String uri, EngineOptions options) throws IOException {
    return open(BlobStores.open(uri), options);
  }

  /**
   * Opens the database held by {@code store}, for stores built in code (a wrapped or instrumented
   * store, one with custom credentials). The database takes ownership of the store: closing the
   * database closes it, and so does a failure to open. A store that is not a local directory keeps
   * its write-ahead logs and downloaded segment files under {@link EngineOptions#walRoot()} (by
   * default a directory under {@code ~/.npyw/stores/}).
   */
  public static Database open(BlobStore store, EngineOptions options) throws IOException {
    try {
      return new Database(store, CollectionCatalog.open(store, options));
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Default engine options: see {@link EngineOptions#defaults()}. */
  public static EngineOptions defaultOptions() {
    return EngineOptions.defaults();
  }

  /** The store's URI. */
  public String uri() {
    return store.uri();
  }

  /** Creates a collection with no properties. */
  public Collection create(CollectionSpec spec) throws IOException {
    return create(spec, Map.of());
  }

  /**
   * Creates a collection.
   *
   * @throws IllegalStateException when one of that name exists
   */
  public Collection create(CollectionSpec spec, Map<String, String> properties) throws IOException {
    synchronized (open) {
      Collection c = new Collection(catalog.create(spec, properties), this::forget);
      open.put(spec.name(), c);
      return c;
    }
  }

  /**
   * Opens a collection (once per database; later calls return the same instance).
   *
   * @throws java.util.NoSuchElementException naming it when it does not exist
   */
  public Collection collection(String name) throws IOException {
    CollectionSpec.checkName(name);
    synchronized (open) {
      Collection c = open.get(name);
      if (c == null) {
        c = new Collection(catalog.open(name), this::forget);
        open.put(name, c);
      }
      return c;
    }
  }

  public boolean exists(String name) throws IOException {
    return catalog.exists(name);
  }

  /** Names of every collection, sorted. */
  public List<String> list() throws IOException {
    return catalog.list();
  }

  /**
   * Names of the collections whose properties match {@code filter}, sorted: every property is a
   * string attribute and a key a collection lacks is NULL (docs/FILTERS.md), so {@code team =
   * 'search'} lists the collections with that property and {@code team IS NULL} those without.
   *
   * @throws io.npywrapper.meta.filter.FilterException for a malformed filter (before any collection
   *     is opened)
   */
  public List<String> collections(String filter) throws IOException {
    PropertyFilter f = PropertyFilter.parse(filter);
    List<String> out = new java.util.ArrayList<>();
    for (String name : list()) {
      if (f.test(collection(name).properties())) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * Drops a collection and every file of it, closing it first if open here.
   *
   * @return false when it did not exist
   */
  public boolean drop(String name) throws IOException {
    CollectionSpec.checkName(name);
    synchronized (open) {
      Collection c = open.remove(name);
      if (c != null) {
        c.close();
      }
      return catalog.drop(name);
    }
  }

  private void forget(Collection c) {
    open.remove(c.name(), c);
  }

  /** Flushes and closes every open collection, then the store. */
  @Override
  public void close() throws IOException {
    Exception failure = null;
    synchronized (open) {
      for (Collection c : List.copyOf(open.values())) {
        try {
          c.close();
        } catch (IOException | RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      open.clear();
    }
    store.close();
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
  }
}
