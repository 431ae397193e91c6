package io.npywrapper.search.quant;

import java.lang.foreign.MemorySegment;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Lucene's scorer interfaces over {@link QuantizedVectors}: scores are {@link
 * LuceneScores#fromDistance} of the approximate distances. Scorers are not thread-safe (one per
 * thread); suppliers hand out independent scorers and are thread-safe.
 */
final class QuantizedScorers {
  private QuantizedScorers() {}

  /** Scores a fixed query against any row. */
  static final class QueryScorer implements RandomVectorScorer {
    private final MemorySegment data;
    private final int dim;
    private final int rows;
    private final QuantizedQuery query;
    private final Int8Kernels kernels = Int8Kernels.get();

    QueryScorer(QuantizedVectors vectors, QuantizedQuery query) {
      this.data = vectors.data();
      this.dim = vectors.dimension();
      this.rows = vectors.size();
      this.query = query;
    }

    @Override
    public float score(int node) {
      return LuceneScores.fromDistance(query.distance(kernels, data, (long) node * dim));
    }

    @Override
    public int maxOrd() {
      return rows;
    }
  }

  /** Scores the row set by {@link #setScoringOrdinal} against any row: for graph builds. */
  static final class OrdinalScorer implements UpdateableRandomVectorScorer {
    private final MemorySegment data;
    private final int dim;
    private final int rows;
    private final QuantizedQuery query;
    private final Int8Kernels kernels = Int8Kernels.get();

    OrdinalScorer(QuantizedVectors vectors) {
      ScalarQuantizer q = vectors.quantizer();
      this.data = vectors.data();
      this.dim = vectors.dimension();
      this.rows = vectors.size();
      this.query = new QuantizedQuery(q.metric(), q.params().steps(), q.params().offsets());
    }

    @Override
    public void setScoringOrdinal(int node) {
      if (node < 0 || node >= rows) {
        throw new IndexOutOfBoundsException("ordinal " + node + " outside [0, " + rows + ")");
      }
      query.setFromCode(kernels, data, (long) node * dim);
    }

    @Override
    public float score(int node) {
      return LuceneScores.fromDistance(query.distance(kernels, data, (long) node * dim));
    }

    @Override
    public int maxOrd() {
      return rows;
    }
  }

  /** Hands out {@link OrdinalScorer}s over one set of codes. */
  static final class Supplier implements RandomVectorScorerSupplier {
    private final QuantizedVectors vectors;

    Supplier(QuantizedVectors vectors) {
      this.vectors = vectors;
    }

    @Override
    public UpdateableRandomVectorScorer scorer() {
      return new OrdinalScorer(vectors);
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return new Supplier(vectors);
    }
  }
}
