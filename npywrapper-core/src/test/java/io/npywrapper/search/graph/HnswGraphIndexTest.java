package io.npywrapper.search.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.search.Metric;
import io.npywrapper.search.VectorKernels;
import io.npywrapper.testing.Clustered;
import io.npywrapper.testing.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roaringbitmap.RoaringBitmap;

class HnswGraphIndexTest {
  static final int N = 4000;
  static final int DIM = 24;
  static final long CRC = 0x1234_5678L;

  @TempDir Path dir;

  private static MappedFloatVectors vectors(float[][] rows, Metric metric) {
    float[] flat = Clustered.flat(rows);
    MemorySegment seg = Arena.ofAuto().allocate(4L * flat.length);
    MemorySegment.copy(
        flat,
        0,
        seg,
        ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
        0,
        flat.length);
    return new MappedFloatVectors(seg, rows.length, rows[0].length, metric, VectorKernels.get());
  }

  /** The exact k nearest accepted rows. */
  private static int[] exact(MappedFloatVectors v, float[] q, int k, RoaringBitmap accept) {
    return IntStream.range(0, v.size())
        .filter(r -> accept == null || accept.contains(r))
        .boxed()
        .sorted((a, b) -> Float.compare(v.distance(q, a), v.distance(q, b)))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static double recall(int[] truth, int[] got) {
    long hit = Arrays.stream(got).filter(g -> Arrays.stream(truth).anyMatch(t -> t == g)).count();
    return (double) hit / truth.length;
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void roundTripSearchReachesRecall(Metric metric) {
    Seeds.run(
        metric.ordinal(),
        rnd -> {
          float[][] rows = Clustered.vectors(rnd, N, DIM, 20);
          if (metric == Metric.DOT) {
            Clustered.normalize(rows); // inner-product search is used on unit vectors
          }
          MappedFloatVectors v = vectors(rows, metric);
          Path file = dir.resolve("index-" + metric + ".hnsw");
          HnswGraphIndex.build(v, 16, 100, 1, CRC, file, () -> false);
          try (GraphIndex g = HnswGraphIndex.open(file, v, CRC)) {
            assertEquals(N, g.size());
            assertEquals(new GraphParams(metric, DIM, 16, 100), g.params());
            double sum = 0;
            int queries = 50;
            for (int q = 0; q < queries; q++) {
              float[] query = Clustered.vectors(rnd, 1, DIM, 1)[0];
              for (int i = 0; i < DIM; i++) {
                query[i] = rows[rnd.nextInt(N)][i] + 0.1f * (float) rnd.nextGaussian();
              }
              GraphIndex.Neighbors n = g.search(query, 10, 100, null, N, Long.MAX_VALUE);
              assertEquals(10, n.rows().length);
              for (int i = 0; i < 10; i++) {
                assertEquals(v.distance(query, n.rows()[i]), n.distances()[i]);
                if (i > 0) {
                  assertTrue(n.distances()[i - 1] <= n.distances()[i], "sorted by distance");
                }
              }
              sum += recall(exact(v, query, 10, null), n.rows());
            }
            assertTrue(sum / queries >= 0.95, "recall@10 " + sum / queries + " for " + metric);
          }
        });
  }

  @Test
  void filteredWalkOnlyCollectsAcceptedRows() throws Exception {
    Random rnd = new Random(Seeds.of(7));
    float[][] rows = Clustered.vectors(rnd, N, DIM, 10);
    MappedFloatVectors v = vectors(rows, Metric.L2);
    Path file = dir.resolve("index.hnsw");
    HnswGraphIndex.build(v, 16, 100, 2, CRC, file, () -> false);
    try (GraphIndex g = HnswGraphIndex.open(file, v, CRC)) {
      for (double sel : new double[] {0.02, 0.1, 0.5}) {
        RoaringBitmap accept = new RoaringBitmap();
        for (int r = 0; r < N; r++) {
          if (rnd.nextDouble() < sel) {
            accept.add(r);
          }
        }
        double sum = 0;
        for (int q = 0; q < 20; q++) {
          float[] query = rows[rnd.nextInt(N)].clone();
          GraphIndex.Neighbors n =
              g.search(query, 10, 100, accept, accept.getCardinality(), Long.MAX_VALUE);
          for (int r : n.rows()) {
            assertTrue(accept.contains(r), "row " + r + " was not accepted");
          }
          sum += recall(exact(v, query, 10, accept), n.rows());
        }
        assertTrue(sum / 20 >= 0.9, "filtered recall " + sum / 20 + " at selectivity " + sel);
      }
    }
  }

  @Test
  void everyFlippedByteIsDetected() throws Exception {
    Random rnd = new Random(Seeds.of(11));
    float[][] rows = Clustered.vectors(rnd, 300, 8, 4);
    MappedFloatVectors v = vectors(rows, Metric.COSINE);
    Path file = dir.resolve("small.hnsw");
    HnswGraphIndex.build(v, 8, 32, 1, CRC, file, () -> false);
    byte[] good = Files.readAllBytes(file);
    for (int t = 0; t < 200; t++) {
      byte[] bad = good.clone();
      int at = rnd.nextInt(bad.length);
      bad[at] ^= (byte) (1 << rnd.nextInt(8));
      Path p = dir.resolve("bad-" + t + ".hnsw");
      Files.write(p, bad);
      assertThrows(GraphIndexException.class, () -> HnswGraphIndex.open(p, v, CRC), "byte " + at);
    }
    Path cut = dir.resolve("cut.hnsw");
    Files.write(cut, Arrays.copyOf(good, good.length - 5));
    assertThrows(GraphIndexException.class, () -> HnswGraphIndex.open(cut, v, CRC));
    GraphIndexException other =
        assertThrows(GraphIndexException.class, () -> HnswGraphIndex.open(file, v, CRC + 1));
    assertTrue(other.getMessage().contains("CRC32C"), other.getMessage());
    MappedFloatVectors wrongMetric = vectors(rows, Metric.L2);
    assertThrows(GraphIndexException.class, () -> HnswGraphIndex.open(file, wrongMetric, CRC));
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void bulkScoreEqualsOneRowAtATime(Metric metric) throws Exception {
    long seed = Seeds.of(40 + metric.ordinal());
    Random rnd = new Random(seed);
    float[][] rows = Clustered.vectors(rnd, 200, 17, 5);
    MappedFloatVectors v = vectors(rows, metric);
    var scorer = v.queryScorer(rows[rnd.nextInt(rows.length)]);
    for (int count : new int[] {1, 2, 3, 4, 6, 7, 9, 32}) {
      int[] nodes = rnd.ints(count, 0, rows.length).toArray();
      float[] bulk = new float[count];
      float max = scorer.bulkScore(nodes, bulk, count);
      float expectedMax = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < count; i++) {
        float one = scorer.score(nodes[i]);
        assertEquals(one, bulk[i], 1e-5f * Math.max(1, Math.abs(one)), "node " + nodes[i]);
        expectedMax = Math.max(expectedMax, bulk[i]);
      }
      assertEquals(expectedMax, max, metric + " max of " + count);
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void scoresAreMonotoneAndInvertible(Metric metric) {
    Random rnd = new Random(Seeds.of(20 + metric.ordinal()));
    float[] d = new float[1000];
    for (int i = 0; i < d.length; i++) {
      float x = (float) (rnd.nextDouble() * 50);
      d[i] =
          switch (metric) {
            case L2 -> x;
            case COSINE -> x / 25;
            case DOT -> x - 25;
          };
    }
    Arrays.sort(d);
    for (int i = 0; i < d.length; i++) {
      float s = Scores.score(metric, d[i]);
      assertTrue(s >= 0, "score " + s + " of " + d[i]);
      assertEquals(d[i], Scores.distance(metric, s), 1e-4f * Math.max(1, Math.abs(d[i])));
      if (i > 0 && d[i] > d[i - 1]) {
        assertTrue(s <= Scores.score(metric, d[i - 1]), "closer scores higher");
      }
    }
  }

  @Test
  void cancelledBuildWritesNothing() {
    float[][] rows = Clustered.vectors(new Random(Seeds.of(3)), 2000, 8, 4);
    Path file = dir.resolve("cancelled.hnsw");
    assertThrows(
        java.io.IOException.class,
        () -> HnswGraphIndex.build(vectors(rows, Metric.L2), 16, 100, 1, CRC, file, () -> true));
    assertTrue(Files.notExists(file));
  }
}
