package io.npywrapper.bench;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import io.npywrapper.search.quant.LuceneScores;
import java.lang.foreign.MemorySegment;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * The float32 baseline of the {@code quant} benchmark: Lucene scorers that read rows of a mapped
 * {@code vectors.npy} in place with {@link VectorKernels}, scored with {@link LuceneScores} like
 * the int8 ones. Scorers are not thread-safe; suppliers are.
 */
final class FloatScorers {
  private FloatScorers() {}

  static RandomVectorScorer query(NpyArray vectors, Metric metric, float[] query) {
    MemorySegment data = vectors.data();
    long rowBytes = 4L * vectors.rowLength();
    int rows = (int) vectors.rows();
    VectorKernels k = VectorKernels.get();
    return new RandomVectorScorer() {
      @Override
      public float score(int node) {
        return LuceneScores.fromDistance(k.distance(metric, query, data, node * rowBytes));
      }

      @Override
      public int maxOrd() {
        return rows;
      }
    };
  }

  static RandomVectorScorerSupplier supplier(NpyArray vectors, Metric metric) {
    return new RandomVectorScorerSupplier() {
      @Override
      public UpdateableRandomVectorScorer scorer() {
        MemorySegment data = vectors.data();
        long rowBytes = 4L * vectors.rowLength();
        int rows = (int) vectors.rows();
        float[] current = new float[(int) vectors.rowLength()];
        VectorKernels k = VectorKernels.get();
        return new UpdateableRandomVectorScorer() {
          @Override
          public void setScoringOrdinal(int node) {
            vectors.readRow(node, current, 0);
          }

          @Override
          public float score(int node) {
            return LuceneScores.fromDistance(k.distance(metric, current, data, node * rowBytes));
          }

          @Override
          public int maxOrd() {
            return rows;
          }
        };
      }

      @Override
      public RandomVectorScorerSupplier copy() {
        return this;
      }
    };
  }
}
