package io.npywrapper.collection;

import io.npywrapper.meta.Schema;
import io.npywrapper.search.Metric;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a collection is: name, vector dimension, metric, id type, attribute schema and options.
 * Fixed at creation except the schema, which can grow. Immutable and thread-safe.
 *
 * @param name 1-64 characters: letters, digits, '_' and '-', starting with a letter or digit
 * @param dim vector dimension, 1 to 65,536
 * @param metric distance used by search
 * @param idType int64 or string ids
 * @param schema attribute names and types
 * @param allowNonFinite accept NaN and infinite vector values (default false: reject)
 */
public record CollectionSpec(
    String name, int dim, Metric metric, IdType idType, Schema schema, boolean allowNonFinite) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  public static final int MAX_DIM = 65_536;

  public CollectionSpec {
    checkName(name);
    if (dim < 1 || dim > MAX_DIM) {
      throw new IllegalArgumentException(
          "dimension must be between 1 and " + MAX_DIM + ", got " + dim);
    }
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(idType, "idType");
    Objects.requireNonNull(schema, "schema");
  }

  /** A spec with int64 ids, no attributes, and non-finite values rejected. */
  public static CollectionSpec of(String name, int dim, Metric metric) {
    return new CollectionSpec(name, dim, metric, IdType.INT64, Schema.EMPTY, false);
  }

  public CollectionSpec withIdType(IdType t) {
    return new CollectionSpec(name, dim, metric, t, schema, allowNonFinite);
  }

  public CollectionSpec withSchema(Schema s) {
    return new CollectionSpec(name, dim, metric, idType, s, allowNonFinite);
  }

  public CollectionSpec withAllowNonFinite(boolean allow) {
    return new CollectionSpec(name, dim, metric, idType, schema, allow);
  }

  /**
   * Checks a collection name: no path separators, dots or other tricks.
   *
   * @throws IllegalArgumentException naming the rule
   */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid collection name '"
              + name
              + "': use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
