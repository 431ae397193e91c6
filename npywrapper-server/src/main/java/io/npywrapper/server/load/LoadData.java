package io.npywrapper.server.load;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Importer;
import io.npywrapper.collection.SegmentIndexer;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.npy.NpyStreamWriter;
import io.npywrapper.npy.WriteOptions;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The collection a load run works on: {@code rows} random N(0, 1) vectors with int64 ids {@code
 * 0..rows-1} and two attributes, {@code category} (string {@code c0}..{@code c9}, row i has {@code
 * c(i % 10)}) and {@code price} (float64, uniform in [0, 100)), bulk-imported through the embedded
 * API in one commit and then indexed ({@link Collection#buildIndexes()}, segments of at least the
 * index options' minimum rows). Stateless; thread-safe.
 */
public final class LoadData {
  /** Distinct values of {@code category}. */
  public static final int CATEGORIES = 10;

  private LoadData() {}

  /**
   * Creates and fills collection {@code name} in {@code db}, using {@code scratch} for a temporary
   * {@code .npy} file; returns what the index build did.
   */
  public static SegmentIndexer.Result create(
      Database db, String name, int rows, int dim, long seed, Path scratch) throws IOException {
    Collection c =
        db.create(
            CollectionSpec.of(name, dim, Metric.L2)
                .withSchema(
                    Schema.of(
                        Map.of(
                            "category", AttributeType.parse("string"),
                            "price", AttributeType.parse("float64")))));
    Files.createDirectories(scratch);
    Path vectors = Files.createTempFile(scratch, "load-vectors-", ".npy");
    try {
      Random rnd = new Random(seed);
      float[] row = new float[dim];
      List<Map<String, Object>> attributes = new ArrayList<>(rows);
      try (NpyStreamWriter w =
          NpyStreamWriter.createFloat32(
              vectors, dim, WriteOptions.DEFAULT.withoutSync().overwriting())) {
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < dim; j++) {
            row[j] = (float) rnd.nextGaussian();
          }
          w.appendRow(row);
          attributes.add(
              Map.of("category", "c" + (i % CATEGORIES), "price", rnd.nextInt(10_000) / 100.0));
        }
        w.finish();
      }
      new Importer(c.engine()).importNpy(vectors, null, attributes, n -> {});
    } finally {
      Files.deleteIfExists(vectors);
    }
    return c.buildIndexes();
  }
}
