package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.IdType;
import io.npywrapper.collection.Importer;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.MetadataFile;
import io.npywrapper.meta.Schema;
import io.npywrapper.npy.DType;
import io.npywrapper.npy.NpyArray;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code npyw import COLLECTION --vectors X.npy [--ids IDS.npy] [--metadata ROWS.jsonl|.csv]
 * [--schema name:type,...] [--metric m]}.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import vectors from a .npy file (any size, any real dtype) into a collection, creating it"
          + " if absent.",
      "Without --ids, ids are consecutive int64 after the largest id used so far. The import is"
          + " one commit: all rows or none.",
      "--metadata gives one row of attributes per vector, in order: JSON lines (.jsonl, one"
          + " object per line) or CSV (.csv, a header row of attribute names, empty cells null,"
          + " string_list cells as JSON arrays). Its attributes must be in the collection's"
          + " schema; for a new collection the schema is inferred from the file (whole numbers"
          + " int64, other numbers float64, true/false bool, string arrays string_list, else"
          + " string), and --schema declares or overrides types (timestamps must be declared)."
    })
final class ImportCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--vectors", required = true, paramLabel = "X.npy", description = "2-d array")
  Path vectors;

  @Option(names = "--ids", paramLabel = "IDS.npy", description = "1-d integer or string ids")
  Path ids;

  @Option(
      names = "--metadata",
      paramLabel = "ROWS.jsonl|.csv",
      description = "attributes, one row per vector")
  Path metadata;

  @Option(
      names = "--schema",
      split = ",",
      paramLabel = "NAME:TYPE",
      description =
          "attribute types (string, int64, float64, bool, timestamp, string_list); for an"
              + " existing collection they must match its schema")
  List<String> schema;

  @Option(
      names = "--segment-property",
      paramLabel = "KEY=VALUE",
      description =
          "a property of the segments this import creates (repeatable); source (the vectors"
              + " file name) and imported_at (the time) are set unless given")
  List<String> segmentProperties;

  @Option(
      names = "--metric",
      paramLabel = "METRIC",
      description = "l2, cosine or dot, for a new collection (default: ${DEFAULT-VALUE})")
  String metric = "l2";

  @Override
  public Integer call() throws IOException {
    Metric m = Metric.parse(metric);
    long start = System.nanoTime();
    Map<String, AttributeType> declared = declaredTypes();
    Map<String, String> segProps = new LinkedHashMap<>();
    segProps.put("source", String.valueOf(vectors.getFileName()));
    segProps.put("imported_at", java.time.Instant.now().toString());
    segProps.putAll(parseProperties(segmentProperties, "--segment-property"));
    MetadataFile meta = metadata == null ? null : MetadataFile.read(metadata);
    long rows = rowsOf(vectors);
    if (meta != null && meta.rowCount() != rows) {
      throw new IllegalArgumentException(
          metadata + ": has " + meta.rowCount() + " rows for " + rows + " vectors in " + vectors);
    }
    try (Database db = openForChanges()) {
      Collection c;
      List<Map<String, Object>> attrs = null;
      if (db.exists(collection)) {
        c = db.collection(collection);
        Schema have = c.spec().schema();
        for (var e : declared.entrySet()) {
          if (have.type(e.getKey()) != e.getValue()) {
            throw new IllegalArgumentException(
                "--schema "
                    + e.getKey()
                    + ":"
                    + e.getValue().id()
                    + " does not match collection '"
                    + collection
                    + "': "
                    + (have.type(e.getKey()) == null
                        ? "it has no such attribute (add it with npyw alter)"
                        : "it has " + have.type(e.getKey()).id()));
          }
        }
        attrs = meta == null ? null : meta.rows(have);
      } else {
        Map<String, AttributeType> types = meta == null ? declared : meta.inferTypes(declared);
        Schema s = Schema.of(types);
        attrs = meta == null ? null : meta.rows(s); // checks every value before anything is written
        c = db.create(newSpec(m).withSchema(s));
        out().printf("created collection '%s' (%s)%n", collection, describe(c.spec()));
      }
      Progress progress = new Progress(err(), rows);
      Importer.Result r =
          new Importer(c.engine()).importNpy(vectors, ids, attrs, segProps, progress::update);
      progress.done();
      audit(db, "import", collection, r.rows() + " rows from " + vectors);
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

  private Map<String, AttributeType> declaredTypes() {
    return parseTypes(schema, "--schema");
  }

  /** {@code NAME:TYPE} items as a map, for {@code option}'s messages. */
  static Map<String, AttributeType> parseTypes(List<String> items, String option) {
    Map<String, AttributeType> out = new LinkedHashMap<>();
    if (items != null) {
      for (String item : items) {
        int colon = item.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException(
              option + " " + item + ": expected NAME:TYPE, for example price:float64");
        }
        String name = Schema.checkName(item.substring(0, colon).strip());
        if (out.put(name, AttributeType.parse(item.substring(colon + 1).strip())) != null) {
          throw new IllegalArgumentException(option + ": attribute '" + name + "' given twice");
        }
      }
    }
    return out;
  }

  /** {@code KEY=VALUE} items as a map, for {@code option}'s messages. */
  static Map<String, String> parseProperties(List<String> items, String option) {
    Map<String, String> out = new LinkedHashMap<>();
    if (items != null) {
      for (String item : items) {
        int eq = item.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException(
              option + " " + item + ": expected KEY=VALUE, for example team=search");
        }
        out.put(item.substring(0, eq).strip(), item.substring(eq + 1));
      }
    }
    io.npywrapper.collection.CollectionAdmin.checkProperties(out);
    return out;
  }

  private static long rowsOf(Path p) throws IOException {
    try (NpyArray v = NpyArray.open(p)) {
      return v.rows();
    }
  }

  static String describe(CollectionSpec s) {
    String attrs =
        s.schema().isEmpty()
            ? ""
            : ", attributes "
                + String.join(
                    ", ",
                    s.schema().types().entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue().id())
                        .toList());
    return "dim " + s.dim() + ", " + s.metric().id() + ", " + s.idType().id() + " ids" + attrs;
  }
}
