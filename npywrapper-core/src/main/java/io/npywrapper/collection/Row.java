package io.npywrapper.collection;

import java.util.Map;

/**
 * One row read back from a collection: its id (Long or String), vector and attributes (absent
 * attributes are null). Immutable once returned; thread-safe to share.
 *
 * @param id the row's id, a {@link Long} or a {@link String}
 * @param vector the row's float32 vector (a copy owned by the caller)
 * @param attributes attribute values by name (String, Long, Double, Boolean or null)
 */
public record Row(Object id, float[] vector, Map<String, Object> attributes) {}
