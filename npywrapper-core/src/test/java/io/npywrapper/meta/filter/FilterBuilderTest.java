package io.npywrapper.meta.filter;

import static io.npywrapper.meta.filter.Filter.eq;
import static io.npywrapper.meta.filter.Filter.isNull;
import static io.npywrapper.meta.filter.Filter.lt;
import static io.npywrapper.meta.filter.Filter.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java builder: the same trees as the parser, rendered back to text that parses to them. */
class FilterBuilderTest {
  static Stream<Arguments> builtFilters() {
    return Stream.of(
        Arguments.of(
            eq("color", "red").and(lt("price", 50)).or(not(isNull("x"))),
            "color = 'red' AND price < 50 OR NOT x IS NULL"),
        Arguments.of(eq("a", 1).and(eq("b", 2).or(eq("c", 3))), "a = 1 AND (b = 2 OR c = 3)"),
        Arguments.of(eq("a", 1).or(eq("b", 2).or(eq("c", 3))), "a = 1 OR (b = 2 OR c = 3)"),
        Arguments.of(eq("a", 1).or(eq("b", 2)).or(eq("c", 3)), "a = 1 OR b = 2 OR c = 3"),
        Arguments.of(not(eq("a", 1).and(eq("b", 2))), "NOT (a = 1 AND b = 2)"),
        Arguments.of(eq("a", 1).negate().negate(), "NOT NOT a = 1"),
        Arguments.of(Filter.allOf(Filter.TRUE, Filter.FALSE), "TRUE AND FALSE"),
        Arguments.of(Filter.anyOf(eq("a", 1)), "a = 1"),
        Arguments.of(Filter.ne("a", "x"), "a != 'x'"),
        Arguments.of(Filter.le("a", 1.5f), "a <= 1.5"),
        Arguments.of(Filter.gt("a", (short) 3), "a > 3"),
        Arguments.of(Filter.ge("a", (byte) -3), "a >= -3"),
        Arguments.of(Filter.eq("a", 1e20), "a = 1.0E20"),
        Arguments.of(Filter.eq("a", -0.0), "a = -0.0"),
        Arguments.of(Filter.eq("a", Long.MIN_VALUE), "a = -9223372036854775808"),
        Arguments.of(Filter.eq("a", true), "a = TRUE"),
        Arguments.of(Filter.eq("a", "it's"), "a = 'it''s'"),
        Arguments.of(Filter.eq("order", 1), "order = 1"),
        Arguments.of(Filter.eq("null", 1), "\"null\" = 1"),
        Arguments.of(Filter.eq("Timestamp", 1), "\"Timestamp\" = 1"),
        Arguments.of(
            Filter.eq("t", Instant.parse("2024-01-01T00:00:00.123456789Z")),
            "t = TIMESTAMP '2024-01-01T00:00:00.123456Z'"),
        Arguments.of(Filter.in("c", "a", "b"), "c IN ('a', 'b')"),
        Arguments.of(Filter.in("c", List.of(1, 2)), "c IN (1, 2)"),
        Arguments.of(Filter.notIn("c", 1), "c NOT IN (1)"),
        Arguments.of(Filter.notIn("c", List.of(true)), "c NOT IN (TRUE)"),
        Arguments.of(Filter.between("n", 1, 2.5), "n BETWEEN 1 AND 2.5"),
        Arguments.of(Filter.notBetween("n", "a", "b"), "n NOT BETWEEN 'a' AND 'b'"),
        Arguments.of(Filter.isNotNull("n"), "n IS NOT NULL"),
        Arguments.of(Filter.like("s", "a%"), "s LIKE 'a%'"),
        Arguments.of(Filter.like("s", "a'!%", '!'), "s LIKE 'a''!%' ESCAPE '!'"),
        Arguments.of(Filter.notLike("s", "_"), "s NOT LIKE '_'"),
        Arguments.of(Filter.notLike("s", "''", '\''), "s NOT LIKE '''''' ESCAPE ''''"),
        Arguments.of(Filter.contains("tags", "x"), "contains(tags, 'x')"),
        Arguments.of(Filter.containsAny("tags", "x", "y"), "contains_any(tags, 'x', 'y')"),
        Arguments.of(Filter.containsAll("tags", "x"), "contains_all(tags, 'x')"),
        Arguments.of(Filter.contains("in", "x"), "contains(\"in\", 'x')"),
        Arguments.of(Filter.flag("archived").negate(), "NOT archived"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("builtFilters")
  void rendersTextThatParsesBackToTheSameTree(Filter built, String text) {
    assertEquals(text, built.toString());
    assertEquals(built, Filter.parse(text));
    assertEquals(built.hashCode(), Filter.parse(text).hashCode());
  }

  @Test
  void andOrExtendTheLeftChain() {
    Filter f = eq("a", 1).and(eq("b", 2)).and(eq("c", 3));
    assertEquals(3, ((Filter.And) f).operands().size());
    assertNotEquals(f, eq("a", 1).and(eq("b", 2).and(eq("c", 3))));
  }

  @Test
  void badBuilderInputIsRefused() {
    assertMessage(() -> eq("a", null), "cannot be null: use isNull");
    assertMessage(() -> eq("a", Double.NaN), "finite number");
    assertMessage(() -> eq("a", Float.POSITIVE_INFINITY), "finite number");
    assertMessage(() -> eq("a", new BigDecimal("1.5")), "unsupported filter value BigDecimal");
    assertMessage(() -> eq("a b", 1), "invalid attribute name 'a b'");
    assertMessage(() -> eq(null, 1), "invalid attribute name 'null'");
    assertMessage(() -> Filter.in("a"), "IN needs at least one value");
    assertMessage(() -> Filter.in("a", List.of()), "IN needs at least one value");
    assertMessage(() -> Filter.in("a", 1, null), "cannot be null");
    assertMessage(() -> Filter.containsAny("t"), "at least one tag");
    assertMessage(() -> Filter.containsAll("t", "a", null), "a tag cannot be null");
    assertMessage(() -> Filter.like("s", "50!", '!'), "ends with its escape character");
    assertMessage(() -> new Filter.And(List.of(eq("a", 1))), "at least two operands");
    assertMessage(() -> Filter.eq("t", Instant.MAX), "outside the range of int64 microseconds");
    assertThrows(NullPointerException.class, () -> Filter.like("s", null));
  }

  @Test
  void depthIsBoundedForBuiltTrees() {
    Filter f = Filter.flag("a");
    for (int i = 0; i < Filter.MAX_DEPTH; i++) {
      f = i % 3 == 0 ? not(f) : i % 3 == 1 ? f.or(eq("b", i)) : eq("c", i).and(f);
    }
    Filter deepest = f;
    assertTrue(deepest.toString().startsWith("NOT "), "the deepest tree still renders");
    assertMessage(() -> not(deepest), "more than " + Filter.MAX_DEPTH + " levels");
    assertMessage(() -> deepest.and(eq("x", 1)), "more than " + Filter.MAX_DEPTH + " levels");
    assertMessage(() -> eq("x", 1).or(deepest), "more than " + Filter.MAX_DEPTH + " levels");
    // a wide tree is fine
    List<Filter> many = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      many.add(eq("n", i));
    }
    Filter wide = Filter.anyOf(many.toArray(Filter[]::new));
    assertEquals(wide, Filter.parse(wide.toString()));
  }

  private static void assertMessage(Runnable r, String words) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, r::run, "expected a refusal: " + words);
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }
}
