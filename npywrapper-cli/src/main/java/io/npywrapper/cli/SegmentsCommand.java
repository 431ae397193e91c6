package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.SegmentInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code npyw segments COLLECTION [--where EXPR] [--json]}: a collection's segments, each with its
 * index kind ({@code hnsw}, {@code hnsw+int8} or {@code no index}).
 */
@Command(
    name = "segments",
    mixinStandardHelpOptions = true,
    description =
        "List a collection's segments (id, rows, live rows, properties), optionally those whose"
            + " properties match a filter (reads the manifest only).")
final class SegmentsCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(
      names = "--where",
      paramLabel = "EXPR",
      description = "filter on segment properties, e.g. \"source LIKE '%.npy'\"")
  String where;

  @Option(names = "--json", description = "One JSON object per segment.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    try (Database db = openDatabase()) {
      Collection c = db.collection(collection);
      List<SegmentInfo> segs = where == null ? c.segments() : c.segments(where);
      for (SegmentInfo s : segs) {
        if (json) {
          out()
              .printf(
                  "{\"id\":%s,\"rows\":%d,\"live_rows\":%d,\"properties\":%s,\"index\":%s,"
                      + "\"index_kind\":%s}%n",
                  Json.quote(s.id()),
                  s.rows(),
                  s.liveRows(),
                  jsonObject(s.properties()),
                  s.index() == null ? "null" : Json.quote(s.index()),
                  s.indexKind() == null ? "null" : Json.quote(s.indexKind()));
        } else {
          out()
              .printf(
                  "%-32s %,12d rows %,12d live  %-9s %s%n",
                  s.id(),
                  s.rows(),
                  s.liveRows(),
                  s.index() == null ? "no index" : s.indexKind(),
                  new java.util.TreeMap<>(s.properties()));
        }
      }
      if (!json) {
        out().printf("%d segment(s)%n", segs.size());
      }
    }
    return 0;
  }

  static String jsonObject(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    new java.util.TreeMap<>(m)
        .forEach(
            (k, v) ->
                b.append(b.length() > 1 ? "," : "")
                    .append(Json.quote(k))
                    .append(':')
                    .append(Json.quote(v)));
    return b.append('}').toString();
  }
}
