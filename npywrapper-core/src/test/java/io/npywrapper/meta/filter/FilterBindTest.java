package io.npywrapper.meta.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Type checks against a schema, and evaluation with SQL's three-valued logic. */
class FilterBindTest {
  static final Schema SCHEMA;

  static {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    m.put("color", AttributeType.STRING);
    m.put("n", AttributeType.INT64);
    m.put("price", AttributeType.FLOAT64);
    m.put("archived", AttributeType.BOOL);
    m.put("t", AttributeType.TIMESTAMP);
    m.put("tags", AttributeType.STRING_LIST);
    SCHEMA = Schema.of(m);
  }

  static Stream<Arguments> bindErrors() {
    return Stream.of(
        // filter, words the message must contain
        Arguments.of(
            "colr = 'red'",
            "unknown attribute 'colr' in \"colr = 'red'\"; the attributes are color (string), n"),
        Arguments.of(
            "price = 'red'",
            "type mismatch in \"price = 'red'\": attribute 'price' is float64, the value is string"
                + " 'red' (numbers are written without quotes)"),
        Arguments.of("n IN (1, 'two')", "attribute 'n' is int64, the value is string 'two'"),
        Arguments.of("n BETWEEN 1 AND TRUE", "attribute 'n' is int64, the value is boolean TRUE"),
        Arguments.of("color = 5", "attribute 'color' is string, the value is integer 5"),
        Arguments.of("color < 5.5", "the value is float 5.5 (string values are quoted"),
        Arguments.of("archived = 1", "attribute 'archived' is bool, the value is integer 1"),
        Arguments.of("archived < TRUE", "'<' does not apply to bool attribute 'archived'"),
        Arguments.of("archived BETWEEN FALSE AND TRUE", "BETWEEN does not apply to bool"),
        Arguments.of("price LIKE '1%'", "LIKE needs a string attribute; 'price' is float64"),
        Arguments.of("t NOT LIKE '2024%'", "LIKE needs a string attribute; 't' is timestamp"),
        Arguments.of(
            "t > 5", "attribute 't' is timestamp, the value is integer 5 (write TIMESTAMP"),
        Arguments.of("t > '2024-13-01'", "'2024-13-01' is not an ISO-8601 timestamp"),
        Arguments.of("t IN ('yesterday')", "'yesterday' is not an ISO-8601 timestamp"),
        Arguments.of("color = TIMESTAMP '2024-01-01T00:00:00Z'", "the value is timestamp"),
        Arguments.of("tags = 'x'", "'tags' is a string_list: test it with contains(tags, 'tag')"),
        Arguments.of("tags IN ('x')", "'tags' is a string_list"),
        Arguments.of("tags LIKE 'x%'", "LIKE needs a string attribute; 'tags' is string_list"),
        Arguments.of("contains(color, 'x')", "need a string_list attribute; 'color' is string"),
        Arguments.of("price", "'price' is float64; only a bool attribute can stand alone"),
        Arguments.of("NOT tags", "'tags' is a string_list"),
        Arguments.of("color = 'x' AND (nope IS NULL OR n = 1)", "unknown attribute 'nope'"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("bindErrors")
  void bindErrorsNameAttributeTypeAndLiteral(String text, String words) {
    Filter f = Filter.parse(text);
    FilterException e = assertThrows(FilterException.class, () -> f.bind(SCHEMA));
    assertTrue(e.getMessage().contains(words), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid filter: "), e.getMessage());
    assertEquals(-1, e.offset());
  }

  @Test
  void unknownAttributeOnAnEmptySchema() {
    FilterException e =
        assertThrows(FilterException.class, () -> Filter.parse("a = 1").bind(Schema.EMPTY));
    assertTrue(e.getMessage().contains("the collection has no attributes"), e.getMessage());
  }

  private static Truth eval(String filter, Object... keyValues) {
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return Filter.parse(filter).bind(SCHEMA).evaluate(row);
  }

  @Test
  void threeValuedLogic() {
    Truth t = Truth.TRUE;
    Truth f = Truth.FALSE;
    Truth u = Truth.UNKNOWN;
    // n is null: every comparison with it is unknown
    assertEquals(u, eval("n = 1"));
    assertEquals(u, eval("n != 1"));
    assertEquals(u, eval("NOT n = 1"));
    assertEquals(u, eval("n IN (1, 2)"));
    assertEquals(u, eval("n NOT IN (1, 2)"));
    assertEquals(u, eval("n BETWEEN 1 AND 2"));
    assertEquals(u, eval("n NOT BETWEEN 1 AND 2"));
    assertEquals(u, eval("color LIKE '%'"));
    assertEquals(u, eval("color NOT LIKE '%'"));
    assertEquals(u, eval("archived"));
    assertEquals(u, eval("NOT archived"));
    assertEquals(u, eval("contains(tags, 'a')"));
    assertEquals(t, eval("n IS NULL"));
    assertEquals(f, eval("n IS NOT NULL"));
    // AND / OR truth tables with unknown
    assertEquals(f, eval("n = 1 AND FALSE"));
    assertEquals(u, eval("n = 1 AND TRUE"));
    assertEquals(t, eval("n = 1 OR TRUE"));
    assertEquals(u, eval("n = 1 OR FALSE"));
    assertEquals(u, eval("n = 1 OR n = 2"));
    assertEquals(t, eval("NOT (n = 1 AND FALSE)"));
    assertEquals(t, eval("n IS NULL OR n = 1"));
    // the same conditions on a value
    assertEquals(f, eval("n NOT IN (1, 2)", "n", 2));
    assertEquals(t, eval("n NOT BETWEEN 1 AND 2", "n", 3));
    assertEquals(f, eval("n BETWEEN 3 AND 1", "n", 2));
    assertEquals(t, eval("NOT archived", "archived", false));
    assertEquals(f, eval("archived", "archived", false));
    assertEquals(Truth.TRUE, Truth.UNKNOWN.not().or(Truth.TRUE));
  }

  @Test
  void rowsMatchOnlyWhenTrue() {
    BoundFilter b = Filter.parse("n > 1 OR color = 'x'").bind(SCHEMA);
    assertTrue(b.test(Map.of("n", 2)));
    assertTrue(!b.test(Map.of("color", "y")));
    assertTrue(!b.test(Map.of()));
    assertEquals(Set.of("n", "color"), b.attributes());
    assertEquals("n > 1 OR color = 'x'", b.toString());
  }

  @Test
  void numbersCompareExactlyAcrossIntAndFloat() {
    long big = (1L << 53) + 1; // not representable as a double
    assertEquals(Truth.TRUE, eval("n > 9007199254740992.0", "n", big));
    assertEquals(Truth.FALSE, eval("n = 9007199254740992.0", "n", big));
    assertEquals(Truth.TRUE, eval("n = 2.0", "n", 2));
    assertEquals(Truth.TRUE, eval("n IN (2.0)", "n", 2L));
    assertEquals(Truth.FALSE, eval("n = 2.5", "n", 2));
    assertEquals(Truth.TRUE, eval("n < 2.5 AND n > 1.5", "n", 2));
    assertEquals(Truth.TRUE, eval("n < -1.5", "n", -2));
    assertEquals(Truth.TRUE, eval("n < 1e300 AND n > -1e300", "n", Long.MIN_VALUE));
    assertEquals(Truth.TRUE, eval("price = 0", "price", -0.0));
    assertEquals(Truth.TRUE, eval("price = 3", "price", 3.0f));
    assertEquals(Truth.TRUE, eval("price > 9007199254740992", "price", 9007199254740993.0 * 2));
    // NaN sorts above every number and equals itself (as in PostgreSQL)
    assertEquals(Truth.TRUE, eval("price > 1e300", "price", Double.NaN));
    assertEquals(Truth.FALSE, eval("price = 1", "price", Double.NaN));
  }

  @Test
  void stringsCompareByCodePoint() {
    // U+FF21 is one UTF-16 unit, U+1F600 two (surrogates, below U+FF21 in UTF-16 order)
    assertEquals(Truth.TRUE, eval("color > '\uFF21'", "color", "😀"));
    assertEquals(Truth.TRUE, eval("color < 'b'", "color", "a\uFFFF"));
    assertEquals(Truth.TRUE, eval("color < 'ab'", "color", "a"));
    assertEquals(Truth.TRUE, eval("color > 'B'", "color", "a"));
  }

  @Test
  void like() {
    assertEquals(Truth.TRUE, eval("color LIKE 'r%'", "color", "red"));
    assertEquals(Truth.FALSE, eval("color LIKE 'R%'", "color", "red"));
    assertEquals(Truth.TRUE, eval("color LIKE '_'", "color", "😀"));
    assertEquals(Truth.TRUE, eval("color LIKE '%'", "color", ""));
    assertEquals(Truth.FALSE, eval("color LIKE '_'", "color", ""));
    assertEquals(Truth.TRUE, eval("color LIKE '%a%b%'", "color", "xxaxxbxx"));
    assertEquals(Truth.FALSE, eval("color LIKE '%a%b'", "color", "xxaxxbxx"));
    assertEquals(Truth.TRUE, eval("color LIKE 'a\nb'", "color", "a\nb"));
    assertEquals(Truth.TRUE, eval("color LIKE '_\n_'", "color", "a\nb"));
    assertEquals(Truth.TRUE, eval("color LIKE '100!%' ESCAPE '!'", "color", "100%"));
    assertEquals(Truth.FALSE, eval("color LIKE '100!%' ESCAPE '!'", "color", "1000"));
    assertEquals(Truth.TRUE, eval("color LIKE 'a!!b' ESCAPE '!'", "color", "a!b"));
    assertEquals(Truth.TRUE, eval("color LIKE '.*'", "color", ".*"));
    assertEquals(Truth.FALSE, eval("color LIKE '.*'", "color", "ab"));
    assertEquals(Truth.TRUE, eval("color NOT LIKE 'x%'", "color", "red"));
    // no exponential backtracking
    String s = "a".repeat(10_000);
    assertEquals(Truth.FALSE, eval("color LIKE '%a%a%a%a%a%a%a%a%b'", "color", s));
  }

  @Test
  void timestamps() {
    Instant t = Instant.parse("2024-06-01T12:00:00.123456789Z");
    assertEquals(Truth.TRUE, eval("t = TIMESTAMP '2024-06-01T12:00:00.123456Z'", "t", t));
    assertEquals(Truth.TRUE, eval("t > '2024-06-01'", "t", t));
    assertEquals(Truth.TRUE, eval("t < '2024-06-01T14:00:00+02:00'", "t", "2024-06-01T11:59:59Z"));
    assertEquals(Truth.TRUE, eval("t BETWEEN '2024-01-01' AND '2025-01-01'", "t", t));
    assertEquals(Truth.TRUE, eval("t IN ('2024-06-01 12:00:00.123456')", "t", t));
    assertEquals(Truth.TRUE, eval("t < '1900-01-01'", "t", Instant.parse("1800-01-01T00:00:00Z")));
  }

  @Test
  void tags() {
    List<String> ab = List.of("a", "b");
    assertEquals(Truth.TRUE, eval("contains(tags, 'a')", "tags", ab));
    assertEquals(Truth.FALSE, eval("contains(tags, 'c')", "tags", ab));
    assertEquals(Truth.TRUE, eval("contains_any(tags, 'c', 'b')", "tags", ab));
    assertEquals(Truth.TRUE, eval("contains_all(tags, 'b', 'a', 'b')", "tags", ab));
    assertEquals(Truth.FALSE, eval("contains_all(tags, 'a', 'c')", "tags", ab));
    assertEquals(Truth.FALSE, eval("contains(tags, 'a')", "tags", List.of()));
    assertEquals(Truth.TRUE, eval("NOT contains(tags, 'a')", "tags", new String[] {"b"}));
    assertEquals(Truth.FALSE, eval("tags IS NULL", "tags", List.of()));
    assertEquals(Truth.TRUE, eval("tags IS NULL"));
  }

  @Test
  void rowValuesAreCheckedAgainstTheSchema() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> eval("n = 1", "n", "one"));
    assertTrue(
        e.getMessage().contains("attribute 'n': expected int64, got String one"), e.getMessage());
    assertEquals(Truth.TRUE, eval("n = 1", "n", 1.0));
  }

  @Test
  void boundTreeIsSimplified() {
    Bound b =
        Filter.parse("NOT archived AND n NOT IN (1) AND color IS NOT NULL").bind(SCHEMA).root();
    Bound.Column archived = new Bound.Column("archived", AttributeType.BOOL);
    Bound.Column n = new Bound.Column("n", AttributeType.INT64);
    Bound.Column color = new Bound.Column("color", AttributeType.STRING);
    assertEquals(
        new Bound.And(
            List.of(
                new Bound.Not(new Bound.Compare(archived, Filter.Op.EQ, true)),
                new Bound.Not(new Bound.In(n, List.of(1L))),
                new Bound.Not(new Bound.IsNull(color)))),
        b);
    Bound ts = Filter.parse("t >= '1970-01-01T00:00:01Z'").bind(SCHEMA).root();
    assertEquals(
        new Bound.Compare(new Bound.Column("t", AttributeType.TIMESTAMP), Filter.Op.GE, 1_000_000L),
        ts);
  }
}
