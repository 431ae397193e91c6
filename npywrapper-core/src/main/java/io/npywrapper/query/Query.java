package io.npywrapper.query;

import io.npywrapper.collection.CollectionEngine;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Selection;
import io.npywrapper.collection.Snapshot;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.BoundFilter;
import io.npywrapper.meta.filter.Filter;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A query on one collection, built by chaining: {@code collection.query().where("price <
 * 50").nearest(v).limit(10).select("price").execute()}. Each method returns a new query and leaves
 * this one unchanged, so a query can be kept and reused. Arguments are checked when given (bounds,
 * vector dimension, finite values, filter syntax and attribute names against the collection's
 * schema), combinations when the query runs.
 *
 * <p>With {@link #nearest}, the {@code limit} rows nearest to each query vector among the rows that
 * match the filter, nearest first (ties by id), and never fewer than {@code limit} when that many
 * match. Segments with a graph index are walked with the filter and deletes as the walk's
 * accept-set unless few rows match (then scanned); the rest are scanned exactly. {@link #ef} trades
 * speed for recall; {@link #exact()} scans everything and returns the ground truth. Without it, a
 * filter-only query: the matching rows ordered by {@link #orderBy an attribute} (nulls last) or
 * else by id.
 *
 * <p>Immutable and thread-safe; {@link #execute()} may run concurrently from many threads.
 */
public final class Query {
  /** Largest {@code limit + offset} of a nearest-neighbour query (the heap kept per thread). */
  public static final int MAX_NEAREST_WINDOW = 100_000;

  /** Largest {@code limit + offset} of a filter-only query. */
  public static final int MAX_WINDOW = 10_000_000;

  /** Most query vectors in one batch. */
  public static final int MAX_BATCH = 100_000;

  /** Sort direction of {@link #orderBy}. */
  public enum Order {
    ASC,
    DESC
  }

  private final CollectionEngine engine;
  private final Filter filter;
  private final float[][] vectors;
  private final boolean batch;
  private final int limit;
  private final int offset;
  private final List<String> select;
  private final boolean withVectors;
  private final boolean withDistances;
  private final String orderBy;
  private final Order order;
  private final long version;
  private final int threads;
  private final int ef;
  private final int rerank;
  private final boolean exact;

  /** A query's parameters in mutable form, used only while deriving a new query. */
  private static final class Draft {
    Filter filter;
    float[][] vectors;
    boolean batch;
    int limit;
    int offset;
    List<String> select;
    boolean withVectors;
    boolean withDistances;
    String orderBy;
    Order order;
    long version;
    int threads;
    int ef;
    int rerank;
    boolean exact;
  }

  private Query(CollectionEngine engine, Draft d) {
    this.engine = engine;
    this.filter = d.filter;
    this.vectors = d.vectors;
    this.batch = d.batch;
    this.limit = d.limit;
    this.offset = d.offset;
    this.select = d.select;
    this.withVectors = d.withVectors;
    this.withDistances = d.withDistances;
    this.orderBy = d.orderBy;
    this.order = d.order;
    this.version = d.version;
    this.threads = d.threads;
    this.ef = d.ef;
    this.rerank = d.rerank;
    this.exact = d.exact;
  }

  /** A query of every live row of {@code engine}'s collection, limit 10, no attributes. */
  public static Query on(CollectionEngine engine) {
    Objects.requireNonNull(engine, "engine");
    Draft d = new Draft();
    d.limit = 10;
    d.select = List.of();
    d.order = Order.ASC;
    d.version = -1;
    return new Query(engine, d);
  }

  /** This query with {@code change} applied to a copy of its parameters. */
  private Query with(java.util.function.Consumer<Draft> change) {
    Draft d = new Draft();
    d.filter = filter;
    d.vectors = vectors;
    d.batch = batch;
    d.limit = limit;
    d.offset = offset;
    d.select = select;
    d.withVectors = withVectors;
    d.withDistances = withDistances;
    d.orderBy = orderBy;
    d.order = order;
    d.version = version;
    d.threads = threads;
    d.ef = ef;
    d.rerank = rerank;
    d.exact = exact;
    change.accept(d);
    return new Query(engine, d);
  }

  private CollectionSpec spec() {
    return engine.spec();
  }

  /**
   * Only rows matching {@code filterText} (docs/FILTERS.md), combined with AND with any earlier
   * {@code where}.
   *
   * @throws io.npywrapper.meta.filter.FilterException for a syntax error (with its position) or an
   *     attribute or type the schema does not have
   */
  public Query where(String filterText) {
    Objects.requireNonNull(filterText, "filterText");
    return where(Filter.parse(filterText));
  }

  /** Only rows matching {@code f}, combined with AND with any earlier {@code where}. */
  public Query where(Filter f) {
    Objects.requireNonNull(f, "filter");
    f.bind(spec().schema()); // checks attributes and types now
    Filter combined = filter == null ? f : filter.and(f);
    return with(d -> d.filter = combined);
  }

  /**
   * The rows nearest to {@code vector} (the collection's metric).
   *
   * @throws IllegalArgumentException for a wrong dimension or a NaN or infinite value
   */
  public Query nearest(float[] vector) {
    Objects.requireNonNull(vector, "vector");
    return nearest(new float[][] {vector}, false);
  }

  /**
   * For each of {@code vectors}, the rows nearest to it: a batch whose result holds one list per
   * query vector, in order.
   *
   * @throws IllegalArgumentException for an empty batch, a wrong dimension or a non-finite value,
   *     naming the query vector and position
   */
  public Query nearest(float[][] vectors) {
    Objects.requireNonNull(vectors, "vectors");
    return nearest(vectors, true);
  }

  private Query nearest(float[][] vs, boolean isBatch) {
    if (orderBy != null) {
      throw new IllegalArgumentException(
          "nearest() orders by distance; it cannot be combined with orderBy(\"" + orderBy + "\")");
    }
    if (vs.length == 0 || vs.length > MAX_BATCH) {
      throw new IllegalArgumentException(
          "a batch needs 1 to " + MAX_BATCH + " query vectors, got " + vs.length);
    }
    float[][] copy = new float[vs.length][];
    for (int q = 0; q < vs.length; q++) {
      float[] v = Objects.requireNonNull(vs[q], "query vector " + q);
      if (v.length != spec().dim()) {
        throw new IllegalArgumentException(
            what(q, isBatch)
                + " has dimension "
                + v.length
                + ", collection '"
                + spec().name()
                + "' has dimension "
                + spec().dim());
      }
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          throw new IllegalArgumentException(
              what(q, isBatch)
                  + " has "
                  + v[i]
                  + " at position "
                  + i
                  + "; query values must be"
                  + " finite");
        }
      }
      copy[q] = v.clone();
    }
    return with(
        d -> {
          d.vectors = copy;
          d.batch = isBatch;
        });
  }

  private static String what(int q, boolean isBatch) {
    return isBatch ? "query vector " + q : "query vector";
  }

  /** At most {@code k} rows (per query vector); default 10. */
  public Query limit(int k) {
    if (k < 1 || k > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_WINDOW + ", got " + k);
    }
    return with(d -> d.limit = k);
  }

  /** Skips the first {@code n} rows of the order (paging); default 0. */
  public Query offset(int n) {
    if (n < 0 || n >= MAX_WINDOW) {
      throw new IllegalArgumentException(
          "offset must be between 0 and " + (MAX_WINDOW - 1) + ", got " + n);
    }
    return with(d -> d.offset = n);
  }

  /**
   * Returns these attributes with each row (none by default), in this order.
   *
   * @throws IllegalArgumentException for an attribute the schema does not have
   */
  public Query select(String... attributes) {
    Set<String> names = new LinkedHashSet<>();
    for (String a : attributes) {
      checkAttribute(a, "select");
      names.add(a);
    }
    return with(d -> d.select = List.copyOf(names));
  }

  /** Returns every attribute of the schema with each row. */
  public Query selectAll() {
    return select(spec().schema().types().keySet().toArray(String[]::new));
  }

  /** Returns each row's vector. */
  public Query withVectors() {
    return with(d -> d.withVectors = true);
  }

  /** Returns each row's distance to its query vector (needs {@link #nearest}). */
  public Query withDistances() {
    return with(d -> d.withDistances = true);
  }

  /** Orders a filter-only query by {@code attribute} ascending, nulls last. */
  public Query orderBy(String attribute) {
    return orderBy(attribute, Order.ASC);
  }

  /**
   * Orders a filter-only query by {@code attribute}, nulls last in either direction, ties by id.
   *
   * @throws IllegalArgumentException for an unknown or string_list attribute, or after nearest()
   */
  public Query orderBy(String attribute, Order direction) {
    Objects.requireNonNull(direction, "direction");
    AttributeType t = checkAttribute(attribute, "orderBy");
    if (t == AttributeType.STRING_LIST) {
      throw new IllegalArgumentException(
          "cannot order by '" + attribute + "': string_list attributes have no order");
    }
    if (vectors != null) {
      throw new IllegalArgumentException(
          "orderBy(\""
              + attribute
              + "\") cannot be combined with nearest(), which orders by"
              + " distance");
    }
    return with(
        d -> {
          d.orderBy = attribute;
          d.order = direction;
        });
  }

  /** Runs against committed version {@code v} (time travel) instead of the current state. */
  public Query atVersion(long v) {
    if (v < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + v);
    }
    return with(d -> d.version = v);
  }

  /**
   * Scans with at most {@code n} threads (default and cap: the available processors).
   *
   * @throws IllegalArgumentException unless {@code n >= 1}
   */
  public Query threads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + n);
    }
    return with(d -> d.threads = n);
  }

  /**
   * Walks graph indexes with a candidate list of {@code n} (default {@value
   * NearestSearch#DEFAULT_EF}, never less than {@code limit + offset}): larger is slower and finds
   * the true nearest rows more often. Clears {@link #exact()}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= n <=} {@value #MAX_NEAREST_WINDOW}
   */
  public Query ef(int n) {
    if (n < 1 || n > MAX_NEAREST_WINDOW) {
      throw new IllegalArgumentException(
          "ef must be between 1 and " + MAX_NEAREST_WINDOW + ", got " + n);
    }
    return with(
        d -> {
          d.ef = n;
          d.exact = false;
        });
  }

  /**
   * Re-ranks the best {@code n} candidates of each walk of an int8-quantized graph index with the
   * exact float32 distances (default: 4 x ({@code limit + offset})): larger reads more float32 rows
   * per query and finds the true nearest rows more often. The walk's candidate list then holds at
   * least {@code n}. Segments whose index is over float32 vectors rank exactly already and ignore
   * it. Checked against {@code limit + offset} when the query runs. Clears {@link #exact()}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= n <=} {@value #MAX_NEAREST_WINDOW}
   */
  public Query rerank(int n) {
    if (n < 1 || n > MAX_NEAREST_WINDOW) {
      throw new IllegalArgumentException(
          "rerank must be between 1 and " + MAX_NEAREST_WINDOW + ", got " + n);
    }
    return with(
        d -> {
          d.rerank = n;
          d.exact = false;
        });
  }

  /**
   * Scores every matching row instead of walking graph indexes: the true nearest rows, at the cost
   * of reading every vector. Without it, segments with an index are searched approximately. Clears
   * {@link #ef} and {@link #rerank}.
   */
  public Query exact() {
    return with(
        d -> {
          d.exact = true;
          d.ef = 0;
          d.rerank = 0;
        });
  }

  private AttributeType checkAttribute(String name, String where) {
    Objects.requireNonNull(name, "attribute");
    Schema schema = spec().schema();
    AttributeType t = schema.type(name);
    if (t == null) {
      throw new IllegalArgumentException(
          where
              + ": unknown attribute '"
              + name
              + "'; collection '"
              + spec().name()
              + "' has "
              + (schema.isEmpty() ? "no attributes" : schema.types().keySet()));
    }
    return t;
  }

  /**
   * Runs the query on a snapshot taken now (or at {@link #atVersion}).
   *
   * @throws IllegalArgumentException for an invalid combination, such as withDistances() without
   *     nearest(), or a filter that no longer fits the schema of the version asked for
   */
  public QueryResult execute() throws IOException {
    if (withDistances && vectors == null) {
      throw new IllegalArgumentException("withDistances() needs nearest(): there is no distance");
    }
    if (vectors != null && (long) limit + offset > MAX_NEAREST_WINDOW) {
      throw new IllegalArgumentException(
          "limit + offset of a nearest() query must be at most "
              + MAX_NEAREST_WINDOW
              + ", got "
              + ((long) limit + offset));
    }
    if (vectors != null && rerank > 0 && rerank < limit + offset) {
      throw new IllegalArgumentException(
          "rerank must be at least limit + offset = "
              + (limit + offset)
              + " (the rows returned come from the re-ranked candidates), got "
              + rerank);
    }
    if ((long) limit + offset > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "limit + offset must be at most " + MAX_WINDOW + ", got " + ((long) limit + offset));
    }
    Snapshot snap = snapshot();
    Selection sel = snap.select(bind(snap));
    Fetch fetch = new Fetch(sel, select, withVectors, snap.spec().dim());
    int cap = Math.max(1, Math.min(threads == 0 ? Integer.MAX_VALUE : threads, processors()));
    if (vectors != null) {
      var lists =
          exact
              ? new ExactSearch(sel, snap.spec().metric(), snap.spec().dim(), cap)
                  .search(vectors, limit + offset)
              : new NearestSearch(
                      sel,
                      snap.spec().metric(),
                      snap.spec().dim(),
                      cap,
                      ef > 0 ? ef : NearestSearch.DEFAULT_EF,
                      rerank)
                  .search(vectors, limit + offset);
      return QueryResult.ofNearest(
          snap.version(),
          fetch.hits(lists, offset, withDistances),
          limit,
          snap.spec().idType(),
          withDistances);
    }
    var rows = new FilterScan(sel, orderBy, order == Order.DESC).top(limit + offset);
    return QueryResult.ofRows(
        snap.version(), fetch.hits(List.of(rows), offset, false), limit, snap.spec().idType());
  }

  /** The number of live rows matching the filter (limit, offset and nearest do not apply). */
  public long count() throws IOException {
    Snapshot snap = snapshot();
    return snap.select(bind(snap)).count();
  }

  private Snapshot snapshot() throws IOException {
    return version < 0 ? engine.snapshot() : engine.atVersion(version);
  }

  private BoundFilter bind(Snapshot snap) {
    return filter == null ? null : filter.bind(snap.spec().schema());
  }

  private static int processors() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Query[").append(spec().name());
    if (filter != null) {
      sb.append(" where ").append(filter);
    }
    if (vectors != null) {
      sb.append(" nearest ").append(vectors.length).append(batch ? " vectors" : " vector");
    }
    if (orderBy != null) {
      sb.append(" order by ").append(orderBy).append(' ').append(order);
    }
    if (exact) {
      sb.append(" exact");
    } else if (ef > 0) {
      sb.append(" ef ").append(ef);
    }
    if (rerank > 0) {
      sb.append(" rerank ").append(rerank);
    }
    sb.append(" limit ").append(limit);
    if (offset > 0) {
      sb.append(" offset ").append(offset);
    }
    if (!select.isEmpty()) {
      sb.append(" select ").append(select);
    }
    if (version > 0) {
      sb.append(" at version ").append(version);
    }
    return sb.append(']').toString();
  }
}
