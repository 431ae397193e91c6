package io.npywrapper.meta.filter;

import io.npywrapper.meta.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A metadata filter: a condition on a row's attributes, parsed from the SQL {@code WHERE}-style
 * text language ({@link #parse}, described in {@code docs/FILTERS.md}) or built in Java:
 *
 * <pre>{@code
 * Filter f = Filter.eq("color", "red").and(Filter.lt("price", 50)).or(Filter.not(Filter.isNull("x")));
 * BoundFilter b = f.bind(schema);  // type-checked against a collection's attributes
 * Truth t = b.evaluate(row);       // TRUE, FALSE or UNKNOWN (SQL null semantics)
 * }</pre>
 *
 * <p>A filter is an immutable tree of records; two filters are equal when their trees are. {@link
 * #toString} renders the text language, and {@code Filter.parse(f.toString()).equals(f)} holds for
 * every filter whose text stays within {@link #MAX_LENGTH} and {@link #MAX_NESTING}. Literal values
 * are a String, Long (any Integer, Short or Byte becomes a Long), Double (or Float; finite),
 * Boolean or Instant (truncated to microseconds). Attribute names follow {@link Schema#checkName}.
 * Trees deeper than {@link #MAX_DEPTH} are refused. Thread-safe.
 */
public sealed interface Filter
    permits Filter.And,
        Filter.Or,
        Filter.Not,
        Filter.Constant,
        Filter.Compare,
        Filter.In,
        Filter.Between,
        Filter.IsNull,
        Filter.Like,
        Filter.Contains,
        Filter.Flag {

  /** The longest filter text accepted, in characters. */
  int MAX_LENGTH = 65_536;

  /** How deeply parentheses and NOT may nest in filter text. */
  int MAX_NESTING = 100;

  /** How deeply AND, OR and NOT nodes may nest in a filter tree (text or builder). */
  int MAX_DEPTH = 256;

  /** The condition that every row meets. */
  Filter TRUE = new Constant(true);

  /** The condition that no row meets. */
  Filter FALSE = new Constant(false);

  /**
   * Parses filter text such as {@code price < 50 AND color IN ('red', 'blue') AND NOT archived}.
   *
   * @throws FilterException naming the position and what was expected, for any syntax error
   */
  static Filter parse(String text) {
    return new FilterParser(text).parse();
  }

  /**
   * Checks this filter against a schema (attributes exist, literals fit their types, operators
   * apply to them) and prepares it for evaluation.
   *
   * @throws FilterException naming the attribute, its type and the offending literal or operator
   */
  default BoundFilter bind(Schema schema) {
    return new BoundFilter(this, schema, Binder.bind(this, schema));
  }

  /** {@code this AND other}; an AND on the left is extended rather than nested. */
  default Filter and(Filter other) {
    return new And(append(this instanceof And a ? a.operands() : List.of(this), other));
  }

  /** {@code this OR other}; an OR on the left is extended rather than nested. */
  default Filter or(Filter other) {
    return new Or(append(this instanceof Or o ? o.operands() : List.of(this), other));
  }

  /** {@code NOT this}. */
  default Filter negate() {
    return new Not(this);
  }

  // ------------------------------------------------------------------ builders

  static Filter eq(String attribute, Object value) {
    return new Compare(attribute, Op.EQ, value);
  }

  static Filter ne(String attribute, Object value) {
    return new Compare(attribute, Op.NE, value);
  }

  static Filter lt(String attribute, Object value) {
    return new Compare(attribute, Op.LT, value);
  }

  static Filter le(String attribute, Object value) {
    return new Compare(attribute, Op.LE, value);
  }

  static Filter gt(String attribute, Object value) {
    return new Compare(attribute, Op.GT, value);
  }

  static Filter ge(String attribute, Object value) {
    return new Compare(attribute, Op.GE, value);
  }

  /** {@code attribute IN (values...)}; at least one value. */
  static Filter in(String attribute, Object... values) {
    return new In(attribute, Arrays.asList(values), false);
  }

  static Filter in(String attribute, Collection<?> values) {
    return new In(attribute, new ArrayList<>(values), false);
  }

  static Filter notIn(String attribute, Object... values) {
    return new In(attribute, Arrays.asList(values), true);
  }

  static Filter notIn(String attribute, Collection<?> values) {
    return new In(attribute, new ArrayList<>(values), true);
  }

  /** {@code attribute BETWEEN low AND high}: both bounds inclusive. */
  static Filter between(String attribute, Object low, Object high) {
    return new Between(attribute, low, high, false);
  }

  static Filter notBetween(String attribute, Object low, Object high) {
    return new Between(attribute, low, high, true);
  }

  static Filter isNull(String attribute) {
    return new IsNull(attribute, false);
  }

  static Filter isNotNull(String attribute) {
    return new IsNull(attribute, true);
  }

  /** {@code attribute LIKE pattern}: {@code %} any run of characters, {@code _} one character. */
  static Filter like(String attribute, String pattern) {
    return new Like(attribute, pattern, null, false);
  }

  /** {@code attribute LIKE pattern ESCAPE 'escape'}. */
  static Filter like(String attribute, String pattern, char escape) {
    return new Like(attribute, pattern, escape, false);
  }

  static Filter notLike(String attribute, String pattern) {
    return new Like(attribute, pattern, null, true);
  }

  static Filter notLike(String attribute, String pattern, char escape) {
    return new Like(attribute, pattern, escape, true);
  }

  /** {@code contains(attribute, 'tag')}: a string_list attribute holds the tag. */
  static Filter contains(String attribute, String tag) {
    return new Contains(attribute, Match.ANY, List.of(tag));
  }

  /** {@code contains_any(attribute, 'a', 'b', ...)}: holds at least one of the tags. */
  static Filter containsAny(String attribute, String... tags) {
    return new Contains(attribute, Match.ANY, Arrays.asList(tags));
  }

  /** {@code contains_all(attribute, 'a', 'b', ...)}: holds every one of the tags. */
  static Filter containsAll(String attribute, String... tags) {
    return new Contains(attribute, Match.ALL, Arrays.asList(tags));
  }

  /** A bool attribute alone as the condition, as in {@code NOT archived}. */
  static Filter flag(String attribute) {
    return new Flag(attribute);
  }

  static Filter not(Filter operand) {
    return new Not(operand);
  }

  /** The AND of one or more filters (one filter is returned as it is). */
  static Filter allOf(Filter... operands) {
    return operands.length == 1 ? operands[0] : new And(Arrays.asList(operands));
  }

  /** The OR of one or more filters (one filter is returned as it is). */
  static Filter anyOf(Filter... operands) {
    return operands.length == 1 ? operands[0] : new Or(Arrays.asList(operands));
  }

  private static List<Filter> append(List<Filter> list, Filter last) {
    List<Filter> out = new ArrayList<>(list);
    out.add(last);
    return out;
  }

  // ------------------------------------------------------------------ the tree

  /** A comparison operator; {@code <>} is parsed as {@link #NE}. */
  enum Op {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** The operator with its operands swapped: {@code 5 < x} is {@code x > 5}. */
    public Op flip() {
      return switch (this) {
        case EQ, NE -> this;
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
      };
    }

    /** Whether a comparison result ({@code <0}, {@code 0}, {@code >0}) satisfies the operator. */
    public boolean test(int comparison) {
      return switch (this) {
        case EQ -> comparison == 0;
        case NE -> comparison != 0;
        case LT -> comparison < 0;
        case LE -> comparison <= 0;
        case GT -> comparison > 0;
        case GE -> comparison >= 0;
      };
    }
  }

  /** Whether a string list must hold any or all of the given tags. */
  enum Match {
    ANY,
    ALL
  }

  /** Every operand holds; two or more operands. */
  record And(List<Filter> operands) implements Filter {
    public And {
      operands = Checks.operands(operands, "AND");
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** At least one operand holds; two or more operands. */
  record Or(List<Filter> operands) implements Filter {
    public Or {
      operands = Checks.operands(operands, "OR");
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** The operand is false; unknown stays unknown. */
  record Not(Filter operand) implements Filter {
    public Not {
      Checks.depth(List.of(Objects.requireNonNull(operand, "operand")));
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code TRUE} or {@code FALSE} as a whole condition. */
  record Constant(boolean value) implements Filter {
    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code attribute op value}. */
  record Compare(String attribute, Op op, Object value) implements Filter {
    public Compare {
      attribute = Checks.name(attribute);
      Objects.requireNonNull(op, "op");
      value = Checks.literal(value);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code attribute [NOT] IN (values...)}. */
  record In(String attribute, List<Object> values, boolean negated) implements Filter {
    public In {
      attribute = Checks.name(attribute);
      values = Checks.literals(values);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code attribute [NOT] BETWEEN low AND high}, bounds inclusive. */
  record Between(String attribute, Object low, Object high, boolean negated) implements Filter {
    public Between {
      attribute = Checks.name(attribute);
      low = Checks.literal(low);
      high = Checks.literal(high);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code attribute IS [NOT] NULL}; never unknown. */
  record IsNull(String attribute, boolean negated) implements Filter {
    public IsNull {
      attribute = Checks.name(attribute);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code attribute [NOT] LIKE 'pattern' [ESCAPE 'c']}; {@code escape} may be null. */
  record Like(String attribute, String pattern, Character escape, boolean negated)
      implements Filter {
    public Like {
      attribute = Checks.name(attribute);
      LikePattern.compile(Objects.requireNonNull(pattern, "pattern"), escape);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** {@code contains(attribute, 'tag')}, {@code contains_any(...)} or {@code contains_all(...)}. */
  record Contains(String attribute, Match match, List<String> tags) implements Filter {
    public Contains {
      attribute = Checks.name(attribute);
      Objects.requireNonNull(match, "match");
      tags = Checks.tags(tags);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }

  /** A bool attribute standing alone as a condition. */
  record Flag(String attribute) implements Filter {
    public Flag {
      attribute = Checks.name(attribute);
    }

    @Override
    public String toString() {
      return FilterText.render(this);
    }
  }
}
