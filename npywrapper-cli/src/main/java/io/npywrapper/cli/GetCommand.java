package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.collection.Ids;
import io.npywrapper.collection.Row;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code npyw get COLLECTION ID...}: rows by id, one JSON object per line. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Print rows by id as JSON lines: {\"id\":..,\"vector\":[..],\"attributes\":{..}}.",
      "Ids not found are named on standard error and the exit code is 1."
    })
final class GetCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID")
  List<String> ids;

  @Override
  public Integer call() throws IOException {
    try (Database db = openDatabase()) {
      Collection c = db.collection(collection);
      Ids wanted = IdArgs.parse(ids, c.spec().idType());
      List<Row> rows = c.get(wanted);
      Set<Object> found = new HashSet<>();
      for (Row r : rows) {
        found.add(r.id());
        out().println(toJson(r));
      }
      int missing = 0;
      for (int i = 0; i < wanted.size(); i++) {
        if (!found.contains(wanted.get(i))) {
          err().println("npyw: not found: id " + wanted.get(i));
          missing++;
        }
      }
      return missing == 0 ? 0 : 1;
    }
  }

  static String toJson(Row r) {
    StringBuilder sb = new StringBuilder("{\"id\":");
    sb.append(r.id() instanceof String s ? Json.quote(s) : r.id().toString());
    sb.append(",\"vector\":[");
    float[] v = r.vector();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    sb.append("],\"attributes\":{");
    boolean first = true;
    for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
      sb.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':');
      value(e.getValue(), sb);
      first = false;
    }
    return sb.append("}}").toString();
  }

  /** An attribute value as JSON: timestamps as ISO-8601 strings, string lists as arrays. */
  static void value(Object v, StringBuilder sb) {
    switch (v) {
      case String s -> sb.append(Json.quote(s));
      case java.time.Instant t -> sb.append(Json.quote(t.toString()));
      case List<?> list -> {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          sb.append(i == 0 ? "" : ",").append(Json.quote((String) list.get(i)));
        }
        sb.append(']');
      }
      case null, default -> sb.append(v);
    }
  }
}
