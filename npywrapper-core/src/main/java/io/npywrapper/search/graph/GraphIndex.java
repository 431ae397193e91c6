package io.npywrapper.search.graph;

import java.io.Closeable;
import java.io.IOException;
import org.roaringbitmap.RoaringBitmap;

/**
 * An approximate nearest-neighbour index over one segment's vectors, whose nodes are the segment's
 * row positions. Built once ({@link HnswGraphIndex#build}), stored as a file and opened by memory
 * map ({@link HnswGraphIndex#open}); the only implementation today is Lucene's HNSW, and callers
 * see only this interface so that the library can change. Thread-safe: many searches may run at
 * once; {@link #close} must wait until none runs.
 */
public interface GraphIndex extends Closeable {
  /** The kind of index, also the file extension: {@code "hnsw"}. */
  String kind();

  GraphParams params();

  /** Nodes in the graph (rows of the segment, deleted ones included). */
  int size();

  /**
   * About how many nodes an unfiltered walk with candidate list {@code ef} scores: a query that
   * accepts no more rows than this is cheaper to answer by scoring those rows.
   */
  long expectedVisits(int ef);

  /**
   * Walks the graph for the rows nearest to {@code query}, only ever collecting rows in {@code
   * accept} (all rows when null): rejected rows are stepped over during the walk, not removed
   * afterwards.
   *
   * @param k rows to return at most
   * @param ef candidate list size (at least {@code k}); larger is slower and more accurate
   * @param accept the rows that may be returned, or null for every row
   * @param acceptedCount {@code accept}'s cardinality (or {@link #size} when null), to choose the
   *     walk
   * @param visitLimit stop after scoring this many nodes ({@link Neighbors#incomplete} then says
   *     so); {@code Long.MAX_VALUE} for no limit
   */
  default Neighbors search(
      float[] query, int k, int ef, RoaringBitmap accept, int acceptedCount, long visitLimit)
      throws IOException {
    return search(query, k, ef, 0, accept, acceptedCount, visitLimit);
  }

  /**
   * As {@link #search(float[], int, int, RoaringBitmap, int, long)}, choosing how many of the
   * walk's candidates are re-ranked with exact distances when the index walks approximate
   * (quantized) scores: the best {@code rerank} (the candidate list then holds at least that many),
   * or with {@code rerank} 0 the index's default. An index over full-precision vectors ranks
   * exactly already and ignores {@code rerank}.
   *
   * @param rerank 0 for the default, else at least {@code k}
   * @throws IllegalArgumentException when {@code rerank} is neither 0 nor at least {@code k}
   */
  Neighbors search(
      float[] query,
      int k,
      int ef,
      int rerank,
      RoaringBitmap accept,
      int acceptedCount,
      long visitLimit)
      throws IOException;

  /**
   * The result of a graph walk: rows nearest first with their exact distances.
   *
   * @param rows row positions, nearest first
   * @param distances each row's exact distance (see {@link io.npywrapper.search.Metric})
   * @param visited nodes scored during the walk
   * @param incomplete true when the walk hit its visit limit before finishing
   */
  record Neighbors(int[] rows, float[] distances, long visited, boolean incomplete) {}
}
