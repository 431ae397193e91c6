package io.npywrapper.cli;

import io.npywrapper.Collection;
import io.npywrapper.Database;
import io.npywrapper.query.Hit;
import io.npywrapper.query.Query;
import io.npywrapper.query.QueryResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code npyw query COLLECTION --filter EXPR [--select a,b] [--limit N] [--order-by attr[:desc]]
 * [--json]}: filter-only queries.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Print the rows matching a filter (docs/FILTERS.md), ordered by an attribute (nulls last)"
          + " or else by id.",
      "Prints a tab-separated table with a header (id and the selected attributes), or with"
          + " --json one line per row: {\"id\":..,\"attributes\":{..}}."
    })
final class QueryCommand extends DatabaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "COLLECTION")
  String collection;

  @Option(names = "--filter", required = true, paramLabel = "EXPR", description = "the condition")
  String filter;

  @Option(
      names = "--select",
      split = ",",
      paramLabel = "ATTR",
      description = "attributes to print (default: all)")
  List<String> select;

  @Option(names = "--limit", paramLabel = "N", description = "at most N rows (default 10)")
  int limit = 10;

  @Option(names = "--offset", paramLabel = "N", description = "skip the first N rows")
  int offset;

  @Option(
      names = "--order-by",
      paramLabel = "ATTR[:desc]",
      description = "order by an attribute, ascending or with :desc descending")
  String orderBy;

  @Option(names = "--json", description = "JSON lines instead of a table")
  boolean json;

  @Override
  public Integer call() throws IOException {
    try (Database db = openDatabase()) {
      Collection c = db.collection(collection);
      Query q = c.query().where(filter).limit(limit).offset(offset);
      q = select == null ? q.selectAll() : q.select(select.toArray(String[]::new));
      if (orderBy != null) {
        int colon = orderBy.lastIndexOf(':');
        String attr = colon < 0 ? orderBy : orderBy.substring(0, colon);
        String dir = colon < 0 ? "asc" : orderBy.substring(colon + 1);
        Query.Order o =
            switch (dir.toLowerCase(java.util.Locale.ROOT)) {
              case "asc" -> Query.Order.ASC;
              case "desc" -> Query.Order.DESC;
              default ->
                  throw new IllegalArgumentException(
                      "--order-by " + orderBy + ": expected ATTR, ATTR:asc or ATTR:desc");
            };
        q = q.orderBy(attr, o);
      }
      QueryResult r = q.execute();
      List<String> columns =
          select == null ? List.copyOf(c.spec().schema().types().keySet()) : select;
      if (!json) {
        out().println("id" + (columns.isEmpty() ? "" : "\t" + String.join("\t", columns)));
      }
      for (Hit h : r.hits()) {
        out().println(json ? toJson(h) : toRow(h, columns));
      }
    }
    return 0;
  }

  private static String toJson(Hit h) {
    StringBuilder sb = new StringBuilder("{\"id\":");
    sb.append(h.id() instanceof String s ? Json.quote(s) : h.id().toString());
    sb.append(",\"attributes\":{");
    boolean first = true;
    for (Map.Entry<String, Object> e : h.attributes().entrySet()) {
      sb.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':');
      GetCommand.value(e.getValue(), sb);
      first = false;
    }
    return sb.append("}}").toString();
  }

  private static String toRow(Hit h, List<String> columns) {
    StringBuilder sb = new StringBuilder(h.id().toString());
    for (String col : columns) {
      Object v = h.attributes().get(col);
      sb.append('\t').append(v == null ? "null" : v.toString());
    }
    return sb.toString();
  }
}
