package io.npywrapper;

import io.npywrapper.collection.CollectionCatalog;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.EngineOptions;
import io.npywrapper.meta.filter.PropertyFilter;
import io.npywrapper.security.AccessDeniedException;
import io.npywrapper.security.AuthenticationException;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <p>A database opened plainly acts as the store's <b>owner</b>: unrestricted and unaudited. {@link
 * #as(Principal)} gives a view of the same open database that acts as a principal: every call
 * checks the principal's permissions (docs/SECURITY.md) and throws {@link AccessDeniedException}
 * before doing anything not granted; writes and denials go to the audit log.
 *
 * <p>Thread-safe. Each collection is opened once per database and shared (also by its views);
 * closing the database flushes and closes them.
 */
public final class Database implements AutoCloseable {
  private final BlobStore store;
  private final CollectionCatalog catalog;
  private final Map<String, Collection> open;
  private final SecurityRef security;
  private final Guard guard;
  private final boolean closesAll;

  private Database(BlobStore store, CollectionCatalog catalog) {
    this(store, catalog, new ConcurrentHashMap<>(), new SecurityRef(store), Guard.OWNER, true);
  }

  private Database(
      BlobStore store,
      CollectionCatalog catalog,
      Map<String, Collection> open,
      SecurityRef security,
      Guard guard,
      boolean closesAll) {
    this.store = store;
    this.catalog = catalog;
    this.open = open;
    this.security = security;
    this.guard = guard;
    this.closesAll = closesAll;
  }

  /** The security state of the store, opened on first use and shared by every view. */
  private static final class SecurityRef {
    private final BlobStore store;
    private volatile Security security;

    SecurityRef(BlobStore store) {
      this.store = store;
    }

    Security get() throws IOException {
      Security s = security;
      if (s != null) {
        return s; // the common case of a server making a view per request: no lock
      }
      synchronized (this) {
        if (security == null) {
          security = Security.open(store);
        }
        return security;
      }
    }

    synchronized void close() throws IOException {
      if (security != null) {
        security.close();
      }
    }
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

  /**
   * Opens the database at {@code uri} as the principal API key {@code apiKeyToken} stands for: the
   * same as {@code open(uri, options).as(principal)}, except that closing the result closes the
   * database.
   *
   * @throws AuthenticationException for a malformed, unknown, revoked or expired key (the database
   *     is closed again)
   */
  public static Database open(String uri, EngineOptions options, String apiKeyToken)
      throws IOException {
    Database db = open(uri, options);
    try {
      Principal p = db.security().authenticate(apiKeyToken);
      return new Database(db.store, db.catalog, db.open, db.security, db.guardFor(p), true);
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Opens the database at {@code uri} acting as {@code principal}: the same as {@code open(uri,
   * options).as(principal)}, except that closing the result closes the database. For an owner with
   * a label ({@code Principal.owner("cli:alice")}) this is an unrestricted database whose writes
   * are audited under that label.
   */
  public static Database open(String uri, EngineOptions options, Principal principal)
      throws IOException {
    Database db = open(uri, options);
    try {
      Guard g = db.guardFor(principal);
      return g == Guard.OWNER
          ? db
          : new Database(db.store, db.catalog, db.open, db.security, g, true);
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * A view of this open database that acts as {@code principal}, sharing its collections. Closing
   * the view does nothing; close this database when done. {@code as(Principal.owner())} is
   * unrestricted.
   *
   * @throws UncheckedIOException when the store's security state cannot be read
   */
  public Database as(Principal principal) {
    try {
      return new Database(store, catalog, open, security, guardFor(principal), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Guard guardFor(Principal p) throws IOException {
    return p.isOwner() && p.user().equals(Principal.owner().user())
        ? Guard.OWNER
        : new Guard(security.get(), p);
  }

  /** Who this database acts as: {@link Principal#owner()} unless it is a view. */
  public Principal principal() {
    return guard.principal();
  }

  /**
   * The users, roles, keys and audit log of this store (opened on first use, closed with the
   * database; do not close it yourself). Its management calls check the actor they are given, not
   * this database's principal.
   */
  public Security security() throws IOException {
    return security.get();
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
    guard.check(spec.name(), Permission.ADMIN);
    synchronized (open) {
      Collection c = new Collection(catalog.create(spec, properties), this::forget);
      open.put(spec.name(), c);
      guard.wrote("create", spec.name(), "dim=" + spec.dim() + " metric=" + spec.metric());
      return c.as(guard);
    }
  }

  /**
   * Opens a collection (once per database; later calls return the same instance).
   *
   * @throws java.util.NoSuchElementException naming it when it does not exist
   */
  public Collection collection(String name) throws IOException {
    CollectionSpec.checkName(name);
    guard.check(name, Permission.READ);
    synchronized (open) {
      Collection c = open.get(name);
      if (c == null) {
        c = new Collection(catalog.open(name), this::forget);
        open.put(name, c);
      }
      return c.as(guard);
    }
  }

  /** Whether collection {@code name} exists (needs READ on it). */
  public boolean exists(String name) throws IOException {
    CollectionSpec.checkName(name);
    guard.check(name, Permission.READ);
    return catalog.exists(name);
  }

  /** Names of every collection, sorted (for a view: those the principal may read). */
  public List<String> list() throws IOException {
    List<String> all = catalog.list();
    return guard.isOwner()
        ? all
        : all.stream().filter(n -> guard.allows(n, Permission.READ)).toList();
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
    guard.check(name, Permission.ADMIN);
    synchronized (open) {
      Collection c = open.remove(name);
      if (c != null) {
        c.close();
      }
      boolean dropped = catalog.drop(name);
      guard.wrote("drop", name, dropped ? "" : "did not exist");
      return dropped;
    }
  }

  private void forget(Collection c) {
    open.remove(c.name(), c);
  }

  /**
   * Flushes and closes every open collection, the audit log, then the store; does nothing for a
   * view made by {@link #as}.
   */
  @Override
  public void close() throws IOException {
    if (!closesAll) {
      return;
    }
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
    try {
      security.close();
    } catch (IOException | RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
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
