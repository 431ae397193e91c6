package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Importer;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw import COLLECTION --vectors X.npy [--ids IDS.npy] [--metric m]}. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import vectors from a .npy file (any size, any real dtype) into a collection, creating it"
          + " if absent.",
      "Without --ids, ids are consecutive int64 after the largest id used so far. The import is"
          + " one commit: all rows or none."
    })
final class ImportCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--vectors", required = true, paramLabel = "X.npy", description = "2-d array")
  Path vectors;

  @Option(names = "--ids", paramLabel = "IDS.npy", description = "1-d integer or string ids")
  Path ids;

  @Option(
      names = "--metric",
      paramLabel = "METRIC",
      description = "l2, cosine or dot, for a new collection (default: ${DEFAULT-VALUE})")
  String metric = "l2";

  @Override
  public Integer call() throws IOException {
    Metric m = Metric.parse(metric);
    long start = System.nanoTime();
    try (Database db = openDatabase()) {
      Collection c;
      if (db.exists(collection)) {
        c = db.collection(collection);
      } else {
        c = db.create(newSpec(m));
        out().printf("created collection '%s' (%s)%n", collection, describe(c.spec()));
      }
      Progress progress = new Progress(err(), rowsOf(vectors));
      Importer.Result r = new Importer(c.engine()).importNpy(vectors, ids, progress::update);
      progress.done();
      double seconds = (System.nanoTime() - start) / 1e9;
      out()
          .printf(
              Locale.ROOT,
              "imported %d rows into '%s' in %d segment(s): %.2f s, %.0f rows/s; version %d, %d rows"
                  + " in all%n",
              r.rows(),
              collection,
              r.segments(),
              seconds,
              r.rows() / Math.max(seconds, 1e-9),
              r.version(),
              c.count());
    }
    return 0;
  }

  private CollectionSpec newSpec(Metric m) throws IOException {
    int dim;
    try (NpyArray v = NpyArray.open(vectors)) {
      if (v.rank() != 2) {
        throw new IllegalArgumentException(
            vectors + ": vectors must be a 2-d array, got rank " + v.rank());
      }
      dim = Math.toIntExact(v.rowLength());
    }
    IdType idType = IdType.INT64;
    if (ids != null) {
      try (NpyArray i = NpyArray.open(ids)) {
        DType.Kind k = i.dtype().kind();
        idType = k == DType.Kind.UNICODE || k == DType.Kind.BYTES ? IdType.STRING : IdType.INT64;
      }
    }
    return CollectionSpec.of(collection, dim, m).withIdType(idType);
  }

  private static long rowsOf(Path p) throws IOException {
    try (NpyArray v = NpyArray.open(p)) {
      return v.rows();
    }
  }

  static String describe(CollectionSpec s) {
    return "dim " + s.dim() + ", " + s.metric().id() + ", " + s.idType().id() + " ids";
  }
}
