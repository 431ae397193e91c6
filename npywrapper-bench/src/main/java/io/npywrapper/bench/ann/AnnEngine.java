package io.npywrapper.bench.ann;

import java.io.IOException;

/**
 * One library under test, built on a data set and then searched one query per call. {@link #search}
 * must be safe to call from several threads at once after {@link #build} returned.
 */
interface AnnEngine extends AutoCloseable {

  /** What building cost. */
  record Build(double seconds, long indexBytes, long heapBytes) {}

  /** The library's name in reports, e.g. {@code lucene}. */
  String library();

  /** The configuration in reports, e.g. {@code HNSW M=16 beam=200}. */
  String variant();

  /** Builds the index over the data set's training vectors. */
  Build build(AnnDataset.Loaded data) throws IOException;

  /**
   * The ids of about the {@code k} nearest rows to {@code q}, searching with breadth {@code ef}.
   */
  long[] search(float[] q, int k, int ef) throws IOException;

  @Override
  void close() throws IOException;
}
