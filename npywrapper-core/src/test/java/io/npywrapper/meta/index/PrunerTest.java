package io.npywrapper.meta.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.filter.Filter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NO / MAYBE decisions from statistics, with SQL's three-valued logic. */
class PrunerTest {
  private static final Schema SCHEMA;
  private static final SegmentStats STATS;

  static {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    m.put("x", AttributeType.INT64); // 1..5, no nulls
    m.put("y", AttributeType.FLOAT64); // all null
    m.put("s", AttributeType.STRING); // 'a', 'b', one null
    m.put("tags", AttributeType.STRING_LIST);
    m.put("z", AttributeType.INT64); // no statistics
    SCHEMA = Schema.of(m);
    Map<String, AttributeStats> a = new LinkedHashMap<>();
    a.put("x", AttributeStats.of(AttributeType.INT64, List.of(1L, 5L, 3L, 2L, 4L)));
    a.put(
        "y", AttributeStats.of(AttributeType.FLOAT64, Arrays.asList(null, null, null, null, null)));
    a.put("s", AttributeStats.of(AttributeType.STRING, Arrays.asList("a", "b", null, "a", "b")));
    a.put(
        "tags",
        AttributeStats.of(
            AttributeType.STRING_LIST,
            Arrays.asList(List.of("p"), List.of(), null, List.of("q", "p"), List.of())));
    STATS = new SegmentStats(5, a);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "x > 10 | false",
        "x > 4 | true",
        "x >= 5 | true",
        "x < 1 | false",
        "x = 6 | false",
        "x != 3 | true",
        "x BETWEEN 6 AND 9 | false",
        "x BETWEEN 5 AND 9 | true",
        "x IN (0, 7) | false",
        "x IN (0, 3) | true",
        "x IS NULL | false",
        "x IS NOT NULL | true",
        "NOT x > 10 | true",
        "NOT x <= 5 | false",
        "NOT (x > 2) | true",
        "y > 0 | false",
        "NOT y > 0 | false",
        "y IS NULL | true",
        "y IS NOT NULL | false",
        "y IS NULL OR x > 10 | true",
        "x > 10 OR y = 1 | false",
        "x > 2 AND x < 2 | true",
        "x > 10 AND z = 1 | false",
        "z = 1 | true",
        "NOT z = 1 | true",
        "s = 'c' | false",
        "s IN ('b', 'c') | true",
        "s LIKE 'c%' | false",
        "s NOT IN ('a', 'b') | false",
        "s != 'a' | true",
        "s IS NULL | true",
        "contains(tags, 'r') | false",
        "contains(tags, 'q') | true",
        "contains_all(tags, 'p', 'q') | true",
        "contains_all(tags, 'p', 'r') | false",
        "NOT contains(tags, 'r') | true",
        "FALSE | false",
        "TRUE | true"
      })
  void decides(String filter, boolean mayMatch) {
    assertEquals(
        mayMatch, Pruner.mayMatch(Filter.parse(filter).bind(SCHEMA).root(), STATS), filter);
  }

  @ParameterizedTest
  @CsvSource({"x > 10", "x IS NULL", "FALSE"})
  void noStatisticsMeansMaybe(String filter) {
    assertEquals(true, Pruner.mayMatch(Filter.parse(filter).bind(SCHEMA).root(), null));
  }
}
