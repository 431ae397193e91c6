package io.npywrapper.search.quant;

/**
 * A row of a segment with its distance to a query (smaller is closer, as {@link
 * io.npywrapper.search.Metric} defines). Immutable and thread-safe.
 *
 * @param row the row number in the segment's {@code vectors.npy} (the graph ordinal)
 * @param distance the distance
 */
public record ScoredRow(int row, float distance) {}
