package io.npywrapper.query;

import java.util.Map;

/**
 * One row of a query's result. Immutable once returned (the vector array belongs to the caller);
 * thread-safe to share.
 *
 * @param id the row's id, a {@link Long} or a {@link String}
 * @param distance its distance to the query vector when the query asked {@code withDistances()},
 *     else NaN
 * @param attributes the selected attributes by name, in the order selected (values may be null);
 *     empty when none were selected
 * @param vector the row's vector when the query asked {@code withVectors()}, else null
 */
public record Hit(Object id, float distance, Map<String, Object> attributes, float[] vector) {}
