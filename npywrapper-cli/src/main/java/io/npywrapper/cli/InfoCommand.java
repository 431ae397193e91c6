package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.collection.Snapshot;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code npyw info [COLLECTION]}: the store's collections, or one collection in detail. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "List the store's collections, or describe one (reads manifests only).")
final class InfoCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "COLLECTION")
  String collection;

  @Option(
      names = "--where",
      paramLabel = "EXPR",
      description =
          "only collections whose properties match, e.g. \"team = 'search'\" (a missing key is"
              + " NULL)")
  String where;

  @Option(names = "--json", description = "One JSON object per collection.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    try (Database db = openDatabase()) {
      if (where != null && collection != null) {
        throw new IllegalArgumentException("give either COLLECTION or --where, not both");
      }
      List<String> names =
          collection != null
              ? List.of(collection)
              : where != null ? db.collections(where) : db.list();
      if (collection == null && !json) {
        out().printf("store %s: %d collection(s)%n", db.uri(), names.size());
      }
      for (String name : names) {
        Collection c = db.collection(name);
        Snapshot s = c.snapshot();
        CollectionSpec spec = s.spec();
        if (json) {
          out().println(toJson(s, c.versions().size()));
        } else if (collection == null) {
          out().printf("  %-24s %,12d rows  %s%n", name, s.count(), ImportCommand.describe(spec));
        } else {
          out().printf("collection:  %s%n", name);
          out().printf("dimension:   %d (float32)%n", spec.dim());
          out().printf("metric:      %s%n", spec.metric().id());
          out().printf("ids:         %s%n", spec.idType().id());
          out().printf("rows:        %,d%n", s.count());
          out().printf("segments:    %d%n", s.segmentCount());
          out().printf("version:     %d (%d retained)%n", s.version(), c.versions().size());
          out().printf("schema:      %s%n", spec.schema().isEmpty() ? "(none)" : spec.schema());
          if (!s.properties().isEmpty()) {
            out().printf("properties:  %s%n", s.properties());
          }
        }
      }
    }
    return 0;
  }

  private static String toJson(Snapshot s, int versions) {
    CollectionSpec spec = s.spec();
    StringBuilder schema = new StringBuilder("{");
    spec.schema()
        .types()
        .forEach(
            (k, t) ->
                schema
                    .append(schema.length() > 1 ? "," : "")
                    .append(Json.quote(k))
                    .append(':')
                    .append(Json.quote(t.id())));
    schema.append('}');
    return "{\"name\":"
        + Json.quote(spec.name())
        + ",\"dim\":"
        + spec.dim()
        + ",\"metric\":\""
        + spec.metric().id()
        + "\",\"id_type\":\""
        + spec.idType().id()
        + "\",\"rows\":"
        + s.count()
        + ",\"segments\":"
        + s.segmentCount()
        + ",\"version\":"
        + s.version()
        + ",\"versions\":"
        + versions
        + ",\"schema\":"
        + schema
        + ",\"properties\":"
        + SegmentsCommand.jsonObject(s.properties())
        + "}";
  }
}
