package io.npywrapper.search.quant;

import io.npywrapper.npy.NpyArray;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import io.npywrapper.testing.LowRank;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * The child of {@link LargerThanHeapTest}, run with a heap several times smaller than its data:
 * streams a {@code vectors.npy} of {@code rows x dim} float32 to disk, trains and encodes the int8
 * codes, builds an HNSW graph over them, searches with exact re-ranking and prints {@code RESULT
 * recall=... vectorBytes=... maxHeap=...} on success.
 *
 * <p>Args: DIR ROWS DIM SEED. The data lies near a 16-dimensional subspace (a few clusters in it),
 * like real embeddings, so a small graph finds neighbours well.
 */
public final class LargerThanHeapChild {
  private static final int QUERIES = 30;
  private static final int K = 10;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    int dim = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    Metric metric = Metric.L2;
    long t0 = System.nanoTime();
    Path vectorsFile = dir.resolve("vectors.npy");
    Random rnd = new Random(seed);
    LowRank.random(rnd, dim).write(vectorsFile, rows, 7, rnd);
    long t1 = System.nanoTime();
    try (NpyArray vectors = NpyArray.open(vectorsFile)) {
      ScalarQuantizer sq = ScalarQuantizer.train(vectors, metric, TrainingOptions.DEFAULTS);
      sq.encode(
          vectors,
          dir.resolve(QuantizedVectors.CODES_FILE),
          dir.resolve(QuantizedVectors.PARAMS_FILE),
          WriteOptions.DEFAULT.withoutSync());
      long t2 = System.nanoTime();
      try (QuantizedVectors codes = QuantizedVectors.open(dir)) {
        codes.verify();
        OnHeapHnswGraph graph =
            HnswGraphBuilder.create(codes.scorerSupplier(), 8, 32, seed).build(codes.size());
        long t3 = System.nanoTime();
        QuantizedSearch search = new QuantizedSearch(codes, new Reranker(vectors, metric));
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
          float[] query = vectors.readRow(rnd.nextInt(rows));
          for (int j = 0; j < dim; j++) {
            query[j] += (float) rnd.nextGaussian() * 0.5f;
          }
          List<ScoredRow> hits = search.search(graph, query, K, 64, 4, null).hits();
          found += ClusteredData.overlap(exact(vectors, query, metric), hits);
        }
        long t4 = System.nanoTime();
        System.out.printf(
            "RESULT recall=%.4f vectorBytes=%d codeBytes=%d maxHeap=%d"
                + " generate=%.1fs quantize=%.1fs build=%.1fs search+truth=%.1fs%n",
            found / (double) (QUERIES * K),
            Files.size(vectorsFile),
            codes.data().byteSize(),
            Runtime.getRuntime().maxMemory(),
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            (t3 - t2) / 1e9,
            (t4 - t3) / 1e9);
      }
    }
  }

  /** Brute-force top-k rows over the mapped float32 file. */
  private static int[] exact(NpyArray vectors, float[] query, Metric metric) {
    VectorKernels kernels = VectorKernels.get();
    MemorySegment data = vectors.data();
    long rowBytes = 4L * query.length;
    int[] best = new int[K];
    float[] dist = new float[K];
    Arrays.fill(dist, Float.POSITIVE_INFINITY);
    for (int r = 0; r < vectors.rows(); r++) {
      float d = kernels.distance(metric, query, data, r * rowBytes);
      if (d < dist[K - 1]) {
        int i = K - 1;
        while (i > 0 && dist[i - 1] > d) {
          dist[i] = dist[i - 1];
          best[i] = best[i - 1];
          i--;
        }
        dist[i] = d;
        best[i] = r;
      }
    }
    return best;
  }
}
