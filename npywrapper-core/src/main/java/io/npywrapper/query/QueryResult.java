package io.npywrapper.query;

import io.npywrapper.collection.IdType;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link Query} returned: one list of {@link Hit}s per query vector (one list for a single
 * vector or a filter-only query), plus the same as rectangular arrays for export to numpy: {@link
 * #ids()} / {@link #stringIds()} and {@link #distances()}, {@code (queries, limit)}, padded with -1
 * (or {@code ""} for string ids) and +infinity where fewer than {@code limit} rows matched.
 * Immutable and thread-safe.
 */
public final class QueryResult {
  private final long version;
  private final List<List<Hit>> lists;
  private final int limit;
  private final IdType idType;
  private final boolean hasDistances;

  private QueryResult(
      long version, List<List<Hit>> lists, int limit, IdType idType, boolean hasDistances) {
    this.version = version;
    this.lists = lists;
    this.limit = limit;
    this.idType = idType;
    this.hasDistances = hasDistances;
  }

  static QueryResult ofNearest(
      long version, List<List<Hit>> lists, int limit, IdType idType, boolean hasDistances) {
    return new QueryResult(version, lists, limit, idType, hasDistances);
  }

  static QueryResult ofRows(long version, List<List<Hit>> lists, int limit, IdType idType) {
    return new QueryResult(version, lists, limit, idType, false);
  }

  /** The committed version the query read. */
  public long version() {
    return version;
  }

  /** Number of result lists: the query vectors of a batch, else 1. */
  public int queries() {
    return lists.size();
  }

  /** The rows of the first (for a single vector or filter-only query: the only) list. */
  public List<Hit> hits() {
    return lists.get(0);
  }

  /** The rows for query vector {@code q}, nearest first. */
  public List<Hit> hits(int q) {
    return lists.get(q);
  }

  /** Every list, in query order. */
  public List<List<Hit>> all() {
    return lists;
  }

  /** The width of the arrays: the query's limit. */
  public int limit() {
    return limit;
  }

  /** The collection's id type: {@link #ids()} for int64, {@link #stringIds()} for string. */
  public IdType idType() {
    return idType;
  }

  /**
   * Int64 ids as a {@code (queries, limit)} array, -1 where a list is shorter.
   *
   * @throws IllegalStateException when the collection has string ids
   */
  public long[][] ids() {
    if (idType != IdType.INT64) {
      throw new IllegalStateException("the collection has string ids: use stringIds()");
    }
    long[][] out = new long[lists.size()][limit];
    for (int q = 0; q < lists.size(); q++) {
      Arrays.fill(out[q], -1);
      List<Hit> l = lists.get(q);
      for (int i = 0; i < l.size(); i++) {
        out[q][i] = (Long) l.get(i).id();
      }
    }
    return out;
  }

  /**
   * String ids as a {@code (queries, limit)} array, {@code ""} (never a valid id) where a list is
   * shorter.
   *
   * @throws IllegalStateException when the collection has int64 ids
   */
  public String[][] stringIds() {
    if (idType != IdType.STRING) {
      throw new IllegalStateException("the collection has int64 ids: use ids()");
    }
    String[][] out = new String[lists.size()][limit];
    for (int q = 0; q < lists.size(); q++) {
      Arrays.fill(out[q], "");
      List<Hit> l = lists.get(q);
      for (int i = 0; i < l.size(); i++) {
        out[q][i] = (String) l.get(i).id();
      }
    }
    return out;
  }

  /**
   * Distances as a {@code (queries, limit)} array, +infinity where a list is shorter.
   *
   * @throws IllegalStateException unless the query asked {@code withDistances()}
   */
  public float[][] distances() {
    if (!hasDistances) {
      throw new IllegalStateException("distances were not requested: add withDistances()");
    }
    float[][] out = new float[lists.size()][limit];
    for (int q = 0; q < lists.size(); q++) {
      Arrays.fill(out[q], Float.POSITIVE_INFINITY);
      List<Hit> l = lists.get(q);
      for (int i = 0; i < l.size(); i++) {
        out[q][i] = l.get(i).distance();
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "QueryResult[version "
        + version
        + ", "
        + lists.size()
        + " list(s), limit "
        + limit
        + "]";
  }
}
