package io.npywrapper.meta.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded property tests: random schemas, rows with nulls and well-typed random filters; the
 * evaluator must agree with an independent brute-force evaluator and with SQLite, and every filter
 * must survive {@code parse(toString())}. Random text must parse or fail with a {@link
 * FilterException}, nothing else. Rerun a failure with the {@code -Dnpyw.seed} its message names.
 */
@Timeout(120)
class FilterPropertyTest {
  @TempDir Path dir;

  @BeforeAll
  static void printSeed() {
    System.out.println("FilterPropertyTest base seed " + Seeds.base() + " (-Dnpyw.seed=N)");
  }

  @RepeatedTest(300)
  void evaluationMatchesBruteForce(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          RandomFilters gen = new RandomFilters(rnd);
          Schema schema = gen.schema();
          List<Map<String, Object>> rows = gen.rows(schema, 30);
          for (int i = 0; i < 20; i++) {
            Filter f = gen.filter(schema, rnd.nextInt(5));
            String text = f.toString();
            assertEquals(f, Filter.parse(text), "round trip of " + text);
            BoundFilter bound = Filter.parse(text).bind(schema);
            for (Map<String, Object> row : rows) {
              assertEquals(
                  BruteForce.evaluate(f, schema, row),
                  bound.evaluate(row),
                  () -> "filter " + text + " on row " + row + " of schema " + schema);
            }
          }
        });
  }

  @RepeatedTest(12)
  void nullSemanticsMatchSqlite(RepetitionInfo info) {
    Map<Truth, Integer> seen = new EnumMap<>(Truth.class);
    Seeds.run(
        1000 + info.getCurrentRepetition(),
        rnd -> {
          RandomFilters gen = new RandomFilters(rnd);
          Schema schema = gen.schema();
          List<Map<String, Object>> rows = gen.rows(schema, 40);
          List<Filter> filters = new ArrayList<>();
          for (int i = 0; i < 60; i++) {
            filters.add(gen.filter(schema, rnd.nextInt(4)));
          }
          List<List<Truth>> sqlite = SqliteOracle.evaluate(schema, rows, filters, dir);
          for (int i = 0; i < filters.size(); i++) {
            BoundFilter bound = filters.get(i).bind(schema);
            for (int r = 0; r < rows.size(); r++) {
              Truth ours = bound.evaluate(rows.get(r));
              seen.merge(ours, 1, Integer::sum);
              int fi = i;
              int ri = r;
              assertEquals(
                  sqlite.get(i).get(r),
                  ours,
                  () ->
                      "filter "
                          + filters.get(fi)
                          + " as SQLite: "
                          + SqliteOracle.sql(filters.get(fi), schema)
                          + " on row "
                          + rows.get(ri));
            }
          }
        });
    assertTrue(seen.getOrDefault(Truth.UNKNOWN, 0) > 0, "no UNKNOWN results: " + seen);
    assertTrue(seen.getOrDefault(Truth.TRUE, 0) > 0, "no TRUE results: " + seen);
  }

  private static final String[] TOKENS = {
    "a",
    "b",
    "tags",
    "t",
    "\"a\"",
    "AND",
    "OR",
    "NOT",
    "IN",
    "BETWEEN",
    "IS",
    "NULL",
    "LIKE",
    "ESCAPE",
    "TRUE",
    "FALSE",
    "TIMESTAMP",
    "contains",
    "contains_any",
    "contains_all",
    "foo",
    "(",
    ")",
    ",",
    "=",
    "!=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "!",
    "'x'",
    "'2024-01-01'",
    "''",
    "'",
    "\"",
    "1",
    "-2",
    "2.5",
    "1e3",
    "1e",
    "-",
    ".",
    "99999999999999999999",
    ";",
    "#",
    "\n",
    "é"
  };

  @RepeatedTest(20)
  void randomTextParsesOrFailsCleanly(RepetitionInfo info) {
    Schema schema =
        Schema.of(
            Map.of(
                "a", AttributeType.INT64,
                "b", AttributeType.STRING,
                "tags", AttributeType.STRING_LIST,
                "t", AttributeType.TIMESTAMP));
    Seeds.run(
        2000 + info.getCurrentRepetition(),
        rnd -> {
          for (int i = 0; i < 500; i++) {
            String text = randomText(rnd);
            Filter f;
            try {
              f = Filter.parse(text);
            } catch (FilterException e) {
              assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
              continue;
            }
            assertEquals(f, Filter.parse(f.toString()), text);
            try {
              f.bind(schema).evaluate(Map.of("a", 1L, "b", "x"));
            } catch (FilterException e) {
              assertEquals(-1, e.offset());
            }
          }
        });
  }

  private static String randomText(Random rnd) {
    StringBuilder sb = new StringBuilder();
    if (rnd.nextInt(4) == 0) {
      for (int i = rnd.nextInt(30); i > 0; i--) {
        sb.append((char) (rnd.nextBoolean() ? 32 + rnd.nextInt(95) : rnd.nextInt(0x3000)));
      }
      return sb.toString();
    }
    for (int i = 1 + rnd.nextInt(12); i > 0; i--) {
      sb.append(TOKENS[rnd.nextInt(TOKENS.length)]).append(rnd.nextInt(4) == 0 ? "" : " ");
    }
    return sb.toString();
  }
}
