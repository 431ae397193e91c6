package io.npywrapper.meta.filter;

import static io.npywrapper.meta.filter.Filter.between;
import static io.npywrapper.meta.filter.Filter.contains;
import static io.npywrapper.meta.filter.Filter.containsAll;
import static io.npywrapper.meta.filter.Filter.containsAny;
import static io.npywrapper.meta.filter.Filter.eq;
import static io.npywrapper.meta.filter.Filter.flag;
import static io.npywrapper.meta.filter.Filter.ge;
import static io.npywrapper.meta.filter.Filter.gt;
import static io.npywrapper.meta.filter.Filter.in;
import static io.npywrapper.meta.filter.Filter.isNotNull;
import static io.npywrapper.meta.filter.Filter.isNull;
import static io.npywrapper.meta.filter.Filter.le;
import static io.npywrapper.meta.filter.Filter.like;
import static io.npywrapper.meta.filter.Filter.lt;
import static io.npywrapper.meta.filter.Filter.ne;
import static io.npywrapper.meta.filter.Filter.not;
import static io.npywrapper.meta.filter.Filter.notBetween;
import static io.npywrapper.meta.filter.Filter.notIn;
import static io.npywrapper.meta.filter.Filter.notLike;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every construct of the filter language, and every syntax error with its position. */
class FilterParserTest {
  private static final Instant NEW_YEAR = Instant.parse("2024-01-01T00:00:00Z");

  static Stream<Arguments> constructs() {
    return Stream.of(
        Arguments.of("color = 'red'", eq("color", "red")),
        Arguments.of("color != 'red'", ne("color", "red")),
        Arguments.of("color <> 'red'", ne("color", "red")),
        Arguments.of("price < 50", lt("price", 50)),
        Arguments.of("price <= 50.5", le("price", 50.5)),
        Arguments.of("price > -3", gt("price", -3)),
        Arguments.of("price >= 1.5e3", ge("price", 1500.0)),
        Arguments.of("price >= .5", ge("price", 0.5)),
        Arguments.of("price>=-2.5E-1", ge("price", -0.25)),
        Arguments.of("n = -9223372036854775808", eq("n", Long.MIN_VALUE)),
        Arguments.of("n = 9223372036854775807", eq("n", Long.MAX_VALUE)),
        Arguments.of("50 > price", lt("price", 50)),
        Arguments.of("'red' = color", eq("color", "red")),
        Arguments.of("TRUE = archived", eq("archived", true)),
        Arguments.of("archived = false", eq("archived", false)),
        Arguments.of("color = 'it''s'", eq("color", "it's")),
        Arguments.of("color = ''", eq("color", "")),
        Arguments.of("color = 'line\nbreak é 😀'", eq("color", "line\nbreak é 😀")),
        Arguments.of("\"select\" = 1", eq("select", 1)),
        Arguments.of("\"in\" = 1", eq("in", 1)),
        Arguments.of("a = 1 AND b = 2", eq("a", 1).and(eq("b", 2))),
        Arguments.of("a = 1 and b = 2 AnD c = 3", eq("a", 1).and(eq("b", 2)).and(eq("c", 3))),
        Arguments.of("a = 1 OR b = 2 AND c = 3", eq("a", 1).or(eq("b", 2).and(eq("c", 3)))),
        Arguments.of("(a = 1 OR b = 2) AND c = 3", eq("a", 1).or(eq("b", 2)).and(eq("c", 3))),
        Arguments.of(
            "a = 1 AND (b = 2 AND c = 3)",
            Filter.allOf(eq("a", 1), Filter.allOf(eq("b", 2), eq("c", 3)))),
        Arguments.of("((a = 1))", eq("a", 1)),
        Arguments.of("NOT a = 1", not(eq("a", 1))),
        Arguments.of("NOT (a = 1 OR b = 2)", not(eq("a", 1).or(eq("b", 2)))),
        Arguments.of("NOT NOT archived", not(not(flag("archived")))),
        Arguments.of("NOT archived", not(flag("archived"))),
        Arguments.of("archived", flag("archived")),
        Arguments.of("archived AND NOT deleted", flag("archived").and(not(flag("deleted")))),
        Arguments.of("(archived)", flag("archived")),
        Arguments.of("TRUE", Filter.TRUE),
        Arguments.of("false OR a = 1", Filter.FALSE.or(eq("a", 1))),
        Arguments.of("color IN ('red')", in("color", "red")),
        Arguments.of("color IN ('red', 'blue')", in("color", "red", "blue")),
        Arguments.of("n in (1, 2.5, -3)", in("n", 1, 2.5, -3)),
        Arguments.of("color NOT IN ('red','blue')", notIn("color", "red", "blue")),
        Arguments.of("n BETWEEN 1 AND 10", between("n", 1, 10)),
        Arguments.of("n NOT BETWEEN 1 AND 10 AND x = 1", notBetween("n", 1, 10).and(eq("x", 1))),
        Arguments.of("x IS NULL", isNull("x")),
        Arguments.of("x is not null", isNotNull("x")),
        Arguments.of("name LIKE 'a%'", like("name", "a%")),
        Arguments.of("name NOT LIKE '_b%'", notLike("name", "_b%")),
        Arguments.of("name LIKE '10!%' ESCAPE '!'", like("name", "10!%", '!')),
        Arguments.of("name LIKE 'a\\_b' ESCAPE '\\'", like("name", "a\\_b", '\\')),
        Arguments.of("contains(tags, 'x')", contains("tags", "x")),
        Arguments.of("CONTAINS(tags, 'x')", contains("tags", "x")),
        Arguments.of("contains_any(tags, 'a', 'b')", containsAny("tags", "a", "b")),
        Arguments.of("contains_any(tags, 'a')", contains("tags", "a")),
        Arguments.of("contains_all(tags, 'a', 'b')", containsAll("tags", "a", "b")),
        Arguments.of("NOT contains(\"tags\", 'x')", not(contains("tags", "x"))),
        Arguments.of("contains = 1", eq("contains", 1)),
        Arguments.of("t > TIMESTAMP '2024-01-01T00:00:00Z'", gt("t", NEW_YEAR)),
        Arguments.of("t > timestamp '2024-01-01'", gt("t", NEW_YEAR)),
        Arguments.of("t > TIMESTAMP '2024-01-01 02:00:00+02:00'", gt("t", NEW_YEAR)),
        Arguments.of(
            "t = TIMESTAMP '2024-01-01T00:00:00.1234567Z'",
            eq("t", Instant.parse("2024-01-01T00:00:00.123456Z"))),
        Arguments.of("t > '2024-01-01T00:00:00Z'", gt("t", "2024-01-01T00:00:00Z")),
        Arguments.of(
            "t BETWEEN '2024-01-01' AND TIMESTAMP '2025-01-01T00:00:00Z'",
            between("t", "2024-01-01", Instant.parse("2025-01-01T00:00:00Z"))),
        Arguments.of(" \t\r\n a\n=\n1 ", eq("a", 1)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("constructs")
  void parsesEachConstruct(String text, Filter expected) {
    Filter parsed = Filter.parse(text);
    assertEquals(expected, parsed);
    assertEquals(expected, Filter.parse(parsed.toString()), parsed.toString());
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        // text, 1-based column of the error, words the message must contain
        Arguments.of("", 1, "the filter is empty"),
        Arguments.of("   ", 4, "the filter is empty"),
        Arguments.of("price <", 8, "expected a value"),
        Arguments.of("price < 50 AND", 15, "expected a condition"),
        Arguments.of("price < 50 OR", 14, "found the end of the filter"),
        Arguments.of("a = 1 b = 2", 7, "expected AND, OR or the end of the filter, found 'b'"),
        Arguments.of("a = 1)", 6, "found ')'"),
        Arguments.of("(a = 1", 7, "')' to close the '(' at column 1"),
        Arguments.of("((a = 1) OR (b = 2)", 20, "')' to close the '(' at column 1"),
        Arguments.of("()", 2, "expected a condition"),
        Arguments.of("a =", 4, "expected a value"),
        Arguments.of("a = b", 5, "expected a value"),
        Arguments.of("a == 1", 4, "found '='"),
        Arguments.of("a ! 1", 3, "'!' alone"),
        Arguments.of("a = NULL", 5, "IS NULL"),
        Arguments.of("a IS 1", 6, "expected NULL or NOT NULL"),
        Arguments.of("a IS NOT 1", 10, "expected NULL or NOT NULL"),
        Arguments.of("a NOT 1", 7, "expected IN, BETWEEN or LIKE after NOT"),
        Arguments.of("a IN 1", 6, "'(' and a list of values after IN"),
        Arguments.of("a IN ()", 7, "in the IN list"),
        Arguments.of("a IN (1, )", 10, "after ','"),
        Arguments.of("a IN (1 2)", 9, "',' or ')' in the IN list"),
        Arguments.of("a BETWEEN 1", 12, "expected AND between the two bounds"),
        Arguments.of("a BETWEEN 1 OR 2", 13, "expected AND between"),
        Arguments.of("a BETWEEN 1 AND", 16, "after BETWEEN ... AND"),
        Arguments.of("a LIKE 5", 8, "a pattern string after LIKE"),
        Arguments.of("a LIKE 'x' ESCAPE 'ab'", 19, "single character"),
        Arguments.of("a LIKE 'x' ESCAPE", 18, "one-character string after ESCAPE"),
        Arguments.of("a LIKE 'x!' ESCAPE '!'", 8, "ends with its escape character"),
        Arguments.of("a foo", 3, "expected an operator"),
        Arguments.of("a 5", 3, "after attribute 'a'"),
        Arguments.of("5", 2, "expected a comparison operator"),
        Arguments.of("5 = 6", 5, "expected an attribute name"),
        Arguments.of("'x' = AND", 7, "expected an attribute name"),
        Arguments.of("AND a = 1", 1, "found the keyword 'AND'"),
        Arguments.of("a = 1 AND OR b = 1", 11, "found the keyword 'OR'"),
        Arguments.of("NOT", 4, "expected a condition"),
        Arguments.of("foo(tags, 'x')", 1, "unknown function 'foo'"),
        Arguments.of("contains(tags)", 14, "',' and a tag"),
        Arguments.of("contains(tags, 1)", 16, "a tag string"),
        Arguments.of("contains(tags, 'a', 'b')", 1, "contains() takes one tag"),
        Arguments.of("contains('x', tags)", 10, "attribute name as the first argument"),
        Arguments.of("contains_all(tags, 'a' 'b')", 24, "',' or ')'"),
        Arguments.of("t > TIMESTAMP 5", 15, "a string after TIMESTAMP"),
        Arguments.of("t > TIMESTAMP '2024-13-01'", 15, "not an ISO-8601 timestamp"),
        Arguments.of("a = 'open", 5, "unterminated string"),
        Arguments.of("\"open = 1", 1, "unterminated quoted name"),
        Arguments.of("\"bad name\" = 1", 1, "invalid attribute name"),
        Arguments.of("\"\" = 1", 1, "invalid attribute name"),
        Arguments.of("a = 1; drop table t", 6, "unexpected character ';'"),
        Arguments.of("a = 1 # x", 7, "unexpected character '#'"),
        Arguments.of("a = 1\u0000", 6, "U+0000"),
        Arguments.of("é = 1", 1, "U+00E9"),
        Arguments.of("a = 12abc", 7, "right after a number"),
        Arguments.of("a = 1.2.3", 8, "right after a number"),
        Arguments.of("a = 1e", 7, "digits of the exponent"),
        Arguments.of("a = -", 5, "expected a number"),
        Arguments.of("a = 9223372036854775808", 5, "outside the int64 range"),
        Arguments.of("a = 1e400", 5, "outside the float64 range"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("syntaxErrors")
  void syntaxErrorsNameThePositionAndWhatWasExpected(String text, int column, String words) {
    FilterException e = assertThrows(FilterException.class, () -> Filter.parse(text));
    assertTrue(e.getMessage().contains(words), e.getMessage());
    assertEquals(1, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertEquals(column - 1, e.offset(), e.getMessage());
    assertTrue(e.getMessage().startsWith("filter syntax error at column " + column + ": "));
  }

  @Test
  void multiLineErrorsNameLineAndColumn() {
    FilterException e =
        assertThrows(FilterException.class, () -> Filter.parse("a = 1 AND\n  b = 2 AND\n  c =="));
    assertEquals(3, e.line());
    assertEquals(6, e.column());
    assertEquals(27, e.offset());
    assertTrue(e.getMessage().contains("at line 3, column 6 (offset 27)"), e.getMessage());
  }

  @Test
  void lengthIsBounded() {
    String ok = "a = '" + "x".repeat(Filter.MAX_LENGTH - 6) + "'";
    assertEquals(Filter.MAX_LENGTH, ok.length());
    Filter.parse(ok);
    FilterException e = assertThrows(FilterException.class, () -> Filter.parse(ok + " "));
    assertTrue(e.getMessage().contains("at most 65536"), e.getMessage());
  }

  @Test
  void nestingIsBoundedWithoutStackOverflow() {
    int max = Filter.MAX_NESTING;
    assertEquals(flag("a"), Filter.parse("(".repeat(max) + "a" + ")".repeat(max)));
    for (String deep :
        new String[] {
          "(".repeat(max + 1) + "a" + ")".repeat(max + 1),
          "(".repeat(60_000) + "a",
          "NOT ".repeat(max + 1) + "a",
          "NOT (".repeat(10_000) + "a"
        }) {
      FilterException e = assertThrows(FilterException.class, () -> Filter.parse(deep));
      assertTrue(e.getMessage().contains("nest more than " + max + " levels"), e.getMessage());
    }
    // a long flat chain is a loop, not recursion
    StringBuilder chain = new StringBuilder("a = 0");
    for (int i = 1; i < 5000; i++) {
      chain.append(i % 2 == 0 ? " AND a = " : " OR a = ").append(i);
    }
    Filter f = Filter.parse(chain.toString());
    assertEquals(f, Filter.parse(f.toString()));
  }

  @Test
  void keywordsAreCaseInsensitiveAndNamesCaseSensitive() {
    assertEquals(
        Filter.parse("Color = 'x' AND color = 'y'"), Filter.parse("Color = 'x' and color = 'y'"));
    assertTrue(!Filter.parse("Color = 'x'").equals(Filter.parse("color = 'x'")));
  }
}
