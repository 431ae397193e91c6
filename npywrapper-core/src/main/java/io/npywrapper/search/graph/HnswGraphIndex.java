package io.npywrapper.search.graph;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswBuilder;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * A {@link GraphIndex} on Lucene's HNSW classes: built with {@link HnswGraphBuilder} (or its
 * concurrent variant for several threads) over {@link GraphVectors}, stored in the {@link HnswFile}
 * layout and searched with {@link HnswGraphSearcher} straight from the memory-mapped file, the
 * vectors read in place from the segment. Deleted and filtered-out rows are Lucene accept-ords: the
 * walk passes through them but never collects them; for selective filters Lucene switches to its
 * filtered (ACORN-style) walk. Thread-safe; {@link #close} unmaps the file.
 */
public final class HnswGraphIndex implements GraphIndex {
  public static final String KIND = "hnsw";

  /** Seed of the level assignment: the same vectors and parameters give the same graph. */
  static final long SEED = 42;

  private final GraphVectors vectors;
  private final GraphParams params;
  private final Arena arena;
  private final MappedHnswGraph graph;

  private HnswGraphIndex(
      GraphVectors vectors, GraphParams params, Arena arena, MappedHnswGraph graph) {
    this.vectors = vectors;
    this.params = params;
    this.arena = arena;
    this.graph = graph;
  }

  /**
   * Builds a graph over every vector of {@code vectors} and writes it to {@code file} (which must
   * not exist).
   *
   * @param vectorsChecksum recorded in the header and checked on open, so the index is never used
   *     with other vectors (the CRC32C of the segment's {@code vectors.npy})
   * @param threads build threads; 1 builds on the calling thread
   * @param cancelled polled while building; when it turns true the build stops with an IOException
   *     and nothing is written
   */
  public static void build(
      GraphVectors vectors,
      int m,
      int efConstruction,
      int threads,
      long vectorsChecksum,
      Path file,
      BooleanSupplier cancelled)
      throws IOException {
    GraphParams params = new GraphParams(vectors.metric(), vectors.dim(), m, efConstruction);
    if (vectors.size() < 1) {
      throw new IllegalArgumentException("cannot build a graph over no vectors");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    RandomVectorScorerSupplier scorers = vectors.buildScorers();
    OnHeapHnswGraph g;
    if (threads == 1) {
      g = run(HnswGraphBuilder.create(scorers, m, efConstruction, SEED), vectors.size(), cancelled);
    } else {
      OnHeapHnswGraph empty =
          HnswGraphBuilder.create(scorers, m, efConstruction, SEED, vectors.size()).getGraph();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              threads, Thread.ofPlatform().daemon().name("npyw-hnsw-build-", 0).factory());
      try {
        HnswBuilder b =
            new HnswConcurrentMergeBuilder(
                new TaskExecutor(pool), threads, scorers, m, efConstruction, empty, null);
        g = run(b, vectors.size(), cancelled);
      } finally {
        pool.shutdownNow();
      }
    }
    HnswFile.write(g, params, vectors.size(), vectorsChecksum, file);
  }

  private static OnHeapHnswGraph run(HnswBuilder b, int size, BooleanSupplier cancelled)
      throws IOException {
    b.setAbortCheck(
        () -> {
          if (cancelled.getAsBoolean()) {
            throw new IOException("graph build cancelled");
          }
        });
    return b.build(size);
  }

  /**
   * Opens a graph file by memory map after checking it completely: header, parameters against
   * {@code vectors}, {@code vectorsChecksum}, structure and CRC32C.
   *
   * @throws GraphIndexException when the file is corrupt or belongs to other vectors
   */
  public static HnswGraphIndex open(Path file, GraphVectors vectors, long vectorsChecksum)
      throws IOException {
    Objects.requireNonNull(vectors, "vectors");
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment s = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      HnswFile.Layout layout = HnswFile.check(s, file.toString(), vectors, vectorsChecksum);
      return new HnswGraphIndex(vectors, layout.params(), arena, new MappedHnswGraph(s, layout));
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public GraphParams params() {
    return params;
  }

  @Override
  public int size() {
    return graph.size();
  }

  /** Lucene's estimate: ef times the natural log of the node count. */
  @Override
  public long expectedVisits(int ef) {
    return HnswGraphSearcher.expectedVisitedNodes(ef, graph.size());
  }

  @Override
  public Neighbors search(
      float[] query,
      int k,
      int ef,
      int rerank,
      RoaringBitmap accept,
      int acceptedCount,
      long visitLimit)
      throws IOException {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (rerank != 0 && rerank < k) {
      throw new IllegalArgumentException(
          "rerank must be 0 (the default) or at least k = " + k + ", got " + rerank);
    }
    boolean deeper = rerank > 0 && !vectors.exactScores();
    TopKnnCollector collector =
        new TopKnnCollector(
            Math.max(k, deeper ? Math.max(ef, rerank) : ef),
            (int) Math.min(Integer.MAX_VALUE, visitLimit),
            KnnSearchStrategy.Hnsw.DEFAULT);
    Bits bits = accept == null ? null : new AcceptBits(accept, graph.size());
    HnswGraphSearcher.search(
        vectors.queryScorer(query),
        collector,
        graph.view(),
        bits,
        accept == null ? graph.size() : acceptedCount);
    ScoreDoc[] docs = collector.topDocs().scoreDocs;
    // Candidates come best first; the exact distance of the ones that may be returned decides
    // the final order (ties by row).
    int m =
        Math.max(
            Math.min(k, docs.length),
            deeper ? Math.min(rerank, docs.length) : vectors.rerankCandidates(k, docs.length));
    long[] keyed = new long[m];
    for (int i = 0; i < m; i++) {
      float d = vectors.distance(query, docs[i].doc);
      keyed[i] = ((long) flip(Float.floatToIntBits(d)) << 32) | docs[i].doc;
    }
    java.util.Arrays.sort(keyed);
    int n = Math.min(k, m);
    int[] rows = new int[n];
    float[] dist = new float[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) keyed[i];
      dist[i] = Float.intBitsToFloat(flip((int) (keyed[i] >> 32))); // flip is its own inverse
    }
    return new Neighbors(rows, dist, collector.visitedCount(), collector.earlyTerminated());
  }

  /** Float bits to an int whose signed order is the float order (NaN last), and back. */
  private static int flip(int bits) {
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  @Override
  public void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }

  /** A Roaring bitmap as Lucene accept-ords. */
  private record AcceptBits(RoaringBitmap rows, int length) implements Bits {
    @Override
    public boolean get(int index) {
      return rows.contains(index);
    }
  }
}
