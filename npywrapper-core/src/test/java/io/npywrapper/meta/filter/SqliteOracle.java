package io.npywrapper.meta.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.testing.Numpy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluates filters in a real SQL engine, SQLite (Python's built-in {@code sqlite3} module), to
 * check our three-valued logic against SQL's. Each filter is translated to SQLite SQL: timestamps
 * become int64 microseconds, bools 0/1, string lists JSON arrays (containment through {@code
 * json_each}, null when the list is null); LIKE is made case-sensitive as ours. The query {@code
 * SELECT id, (filter) FROM t} gives 1, 0 or NULL per row. Stateless.
 */
final class SqliteOracle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCRIPT =
      """
      import json, sqlite3, sys
      job = json.load(open(sys.argv[1] if len(sys.argv) > 1 else 'job.json', encoding='utf-8'))
      db = sqlite3.connect(':memory:')
      db.execute('PRAGMA case_sensitive_like = ON')
      cols = job['columns']
      db.execute('CREATE TABLE t(id INTEGER PRIMARY KEY' + ''.join(', "%s"' % c for c in cols) + ')')
      marks = ', '.join('?' * (len(cols) + 1))
      for i, row in enumerate(job['rows']):
          db.execute('INSERT INTO t VALUES (' + marks + ')', [i] + row)
      out = []
      for sql in job['filters']:
          try:
              out.append([v for (_, v) in db.execute('SELECT id, (' + sql + ') FROM t ORDER BY id')])
          except sqlite3.Error as e:
              out.append('error: %s in %s' % (e, sql))
      print(json.dumps({'version': sqlite3.sqlite_version, 'results': out}))
      """;

  private SqliteOracle() {}

  /** Per filter, per row: the truth SQLite gives. */
  static List<List<Truth>> evaluate(
      Schema schema, List<Map<String, Object>> rows, List<Filter> filters, Path dir)
      throws IOException {
    List<String> columns = new ArrayList<>(schema.types().keySet());
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("columns", columns);
    List<List<Object>> table = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      List<Object> cells = new ArrayList<>();
      for (String c : columns) {
        cells.add(cell(schema.type(c), BruteForce.cell(schema, row, c)));
      }
      table.add(cells);
    }
    job.put("rows", table);
    job.put("filters", filters.stream().map(f -> sql(f, schema)).toList());
    Files.write(dir.resolve("job.json"), JSON.writeValueAsBytes(job));
    String out = Numpy.run("python3", SCRIPT, dir);
    JsonNode results = JSON.readTree(out).get("results");
    List<List<Truth>> truths = new ArrayList<>();
    for (JsonNode perFilter : results) {
      if (perFilter.isTextual()) {
        throw new AssertionError("SQLite refused a filter: " + perFilter.asText());
      }
      List<Truth> t = new ArrayList<>();
      for (JsonNode v : perFilter) {
        t.add(v.isNull() ? Truth.UNKNOWN : v.asLong() != 0 ? Truth.TRUE : Truth.FALSE);
      }
      truths.add(t);
    }
    return truths;
  }

  /** A cell for the SQLite table, from the brute-force evaluator's comparable form. */
  private static Object cell(AttributeType type, Object v) {
    if (v == null) {
      return null;
    }
    return switch (type) {
      case INT64 -> ((java.math.BigDecimal) v).longValueExact();
      case FLOAT64 -> ((java.math.BigDecimal) v).doubleValue();
      case TIMESTAMP -> ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) v);
      case STRING_LIST -> {
        try {
          yield JSON.writeValueAsString(v);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }
      default -> v;
    };
  }

  /** The filter in SQLite's dialect. */
  static String sql(Filter f, Schema schema) {
    return switch (f) {
      case Filter.And a -> join(a.operands(), " AND ", schema);
      case Filter.Or o -> join(o.operands(), " OR ", schema);
      case Filter.Not n -> "NOT (" + sql(n.operand(), schema) + ")";
      case Filter.Constant c -> c.value() ? "TRUE" : "FALSE";
      case Filter.Compare c ->
          col(c.attribute()) + " " + c.op().symbol() + " " + lit(c.value(), c.attribute(), schema);
      case Filter.In in ->
          col(in.attribute())
              + (in.negated() ? " NOT IN (" : " IN (")
              + in.values().stream()
                  .map(v -> lit(v, in.attribute(), schema))
                  .collect(Collectors.joining(", "))
              + ")";
      case Filter.Between b ->
          col(b.attribute())
              + (b.negated() ? " NOT BETWEEN " : " BETWEEN ")
              + lit(b.low(), b.attribute(), schema)
              + " AND "
              + lit(b.high(), b.attribute(), schema);
      case Filter.IsNull n -> col(n.attribute()) + (n.negated() ? " IS NOT NULL" : " IS NULL");
      case Filter.Like l ->
          col(l.attribute())
              + (l.negated() ? " NOT LIKE " : " LIKE ")
              + str(l.pattern())
              + (l.escape() == null ? "" : " ESCAPE " + str(l.escape().toString()));
      case Filter.Contains c -> {
        LinkedHashSet<String> tags = new LinkedHashSet<>(c.tags());
        String list = tags.stream().map(SqliteOracle::str).collect(Collectors.joining(", "));
        String each = "FROM json_each(" + col(c.attribute()) + ") WHERE value IN (" + list + ")";
        String test =
            c.match() == Filter.Match.ANY
                ? "EXISTS (SELECT 1 " + each + ")"
                : "(SELECT count(DISTINCT value) " + each + ") = " + tags.size();
        yield "(CASE WHEN " + col(c.attribute()) + " IS NULL THEN NULL ELSE " + test + " END)";
      }
      case Filter.Flag fl -> col(fl.attribute());
    };
  }

  private static String join(List<Filter> operands, String op, Schema schema) {
    return operands.stream().map(o -> "(" + sql(o, schema) + ")").collect(Collectors.joining(op));
  }

  private static String lit(Object v, String attribute, Schema schema) {
    if (schema.type(attribute) == AttributeType.TIMESTAMP) {
      Instant t = v instanceof Instant i ? i : BruteForce.parse((String) v);
      return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, t));
    }
    return switch (v) {
      case String s -> str(s);
      case Long l when l == Long.MIN_VALUE -> "(-9223372036854775807 - 1)";
      case Long l -> l.toString();
      case Double d -> d.toString();
      case Boolean b -> b ? "TRUE" : "FALSE";
      default -> throw new AssertionError(v);
    };
  }

  private static String col(String name) {
    return "\"" + name + "\"";
  }

  private static String str(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
