package io.npywrapper.meta.filter;

import io.npywrapper.meta.Schema;
import io.npywrapper.meta.Timestamps;
import io.npywrapper.meta.filter.FilterLexer.Kind;
import io.npywrapper.meta.filter.FilterLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A recursive-descent parser for the filter language (grammar in {@code docs/FILTERS.md}).
 *
 * <p>Why not JSqlParser: we tried 5.4, the newest release, and its {@code
 * CCJSqlParserUtil.parseCondExpression}. Its errors do not say what was expected ({@code "price <"}
 * gives "Encountered: at line 1, column 7"; {@code "price < 50 AND"} says it was expecting {@code
 * EXISTS}; trailing text gives "could only parse partial expression" with no position); it throws
 * {@code StackOverflowError} on 1,000 nested parentheses and on a flat chain of 3,000 ANDs; it
 * accepts all of SQL (arithmetic, subqueries, CASE, casts, any function), which we would have to
 * walk and refuse node by node; and SQL keywords such as {@code select} cannot name an attribute.
 * Our language has a dozen productions, so this parser is shorter than the translation layer alone
 * would be, and every message names the offset, line and column, what was expected and what was
 * found. The syntax stays a subset of SQL, so filters read like a {@code WHERE} clause.
 *
 * <p>Bounds: text up to {@link Filter#MAX_LENGTH} characters; parentheses and NOT nested at most
 * {@link Filter#MAX_NESTING} deep (the only recursion; AND and OR chains are loops). One instance
 * parses one text; not thread-safe.
 */
final class FilterParser {
  private static final String CONDITION =
      "a condition (an attribute, NOT, '(', TRUE, FALSE or contains(...))";
  private static final String VALUE =
      "a value (a 'string', a number, TRUE, FALSE or TIMESTAMP '...')";
  private static final String OPERATORS =
      "an operator (=, !=, <>, <, <=, >, >=, [NOT] IN, [NOT] BETWEEN, [NOT] LIKE, IS [NOT] NULL)";

  private final String text;
  private final FilterLexer lexer;
  private Token token;
  private Token lookahead;
  private int nesting;

  FilterParser(String text) {
    if (text == null) {
      throw new IllegalArgumentException("filter text is null");
    }
    this.text = text;
    this.lexer = new FilterLexer(text);
  }

  Filter parse() {
    if (text.length() > Filter.MAX_LENGTH) {
      throw error(
          Filter.MAX_LENGTH,
          "the filter is "
              + text.length()
              + " characters long; at most "
              + Filter.MAX_LENGTH
              + " are accepted");
    }
    token = lexer.next();
    if (token.kind() == Kind.END) {
      throw error(token.start(), "the filter is empty: expected " + CONDITION);
    }
    Filter f = or();
    if (token.kind() != Kind.END) {
      throw error(token.start(), "expected AND, OR or the end of the filter, found " + found());
    }
    return f;
  }

  private Filter or() {
    Token first = token;
    List<Filter> operands = new ArrayList<>(List.of(and()));
    while (token.is("OR")) {
      advance();
      operands.add(and());
    }
    return operands.size() == 1 ? operands.get(0) : build(first, () -> new Filter.Or(operands));
  }

  private Filter and() {
    Token first = token;
    List<Filter> operands = new ArrayList<>(List.of(not()));
    while (token.is("AND")) {
      advance();
      operands.add(not());
    }
    return operands.size() == 1 ? operands.get(0) : build(first, () -> new Filter.And(operands));
  }

  private Filter not() {
    if (!token.is("NOT")) {
      return primary();
    }
    Token not = token;
    enter(not);
    advance();
    Filter operand = not();
    nesting--;
    return build(not, () -> new Filter.Not(operand));
  }

  private Filter primary() {
    Token t = token;
    switch (t.kind()) {
      case LPAREN -> {
        enter(t);
        advance();
        Filter inner = or();
        if (token.kind() != Kind.RPAREN) {
          throw error(
              token.start(),
              "expected AND, OR or ')' to close the '(' at "
                  + position(t.start())
                  + ", found "
                  + found());
        }
        advance();
        nesting--;
        return inner;
      }
      case STRING, INTEGER, DECIMAL -> {
        return valueFirst();
      }
      case QUOTED_NAME -> {
        return predicate(attribute());
      }
      case NAME -> {
        if (t.is("TRUE") || t.is("FALSE")) {
          if (peek().kind() == Kind.OP) {
            return valueFirst();
          }
          advance();
          return t.is("TRUE") ? Filter.TRUE : Filter.FALSE;
        }
        if (t.is("TIMESTAMP") && peek().kind() == Kind.STRING) {
          return valueFirst();
        }
        if (!t.isKeyword() && peek().kind() == Kind.LPAREN) {
          return function();
        }
        if (t.isKeyword()) {
          throw error(t.start(), "expected " + CONDITION + ", found the keyword " + found());
        }
        return predicate(attribute());
      }
      default -> throw error(t.start(), "expected " + CONDITION + ", found " + found());
    }
  }

  /** What follows an attribute name: an operator and its values, or nothing (a bool flag). */
  private Filter predicate(Token name) {
    String attr = (String) name.value();
    if (token.kind() == Kind.OP) {
      Filter.Op op = op(token);
      Token at = token;
      advance();
      Object v = value("after '" + at.text() + "'");
      return build(name, () -> new Filter.Compare(attr, op, v));
    }
    boolean negated = false;
    if (token.is("NOT")) {
      negated = true;
      advance();
      if (!token.is("IN") && !token.is("BETWEEN") && !token.is("LIKE")) {
        throw error(token.start(), "expected IN, BETWEEN or LIKE after NOT, found " + found());
      }
    }
    boolean not = negated;
    if (token.is("IN")) {
      advance();
      expect(Kind.LPAREN, "'(' and a list of values after IN");
      List<Object> values = new ArrayList<>();
      values.add(value("in the IN list"));
      while (token.kind() == Kind.COMMA) {
        advance();
        values.add(value("after ',' in the IN list"));
      }
      expect(Kind.RPAREN, "',' or ')' in the IN list");
      return build(name, () -> new Filter.In(attr, values, not));
    }
    if (token.is("BETWEEN")) {
      advance();
      Object low = value("after BETWEEN");
      if (!token.is("AND")) {
        throw error(
            token.start(), "expected AND between the two bounds of BETWEEN, found " + found());
      }
      advance();
      Object high = value("after BETWEEN ... AND");
      return build(name, () -> new Filter.Between(attr, low, high, not));
    }
    if (token.is("LIKE")) {
      advance();
      Token patternToken = token;
      String pattern = string("a pattern string after LIKE");
      Character escape = null;
      if (token.is("ESCAPE")) {
        advance();
        Token e = token;
        String s = string("a one-character string after ESCAPE");
        if (s.length() != 1) {
          throw error(e.start(), "ESCAPE takes a single character, found " + e.describe());
        }
        escape = s.charAt(0);
      }
      Character esc = escape;
      return build(patternToken, () -> new Filter.Like(attr, pattern, esc, not));
    }
    if (token.is("IS")) {
      advance();
      boolean isNot = token.is("NOT");
      if (isNot) {
        advance();
      }
      if (!token.is("NULL")) {
        throw error(token.start(), "expected NULL or NOT NULL after IS, found " + found());
      }
      advance();
      return build(name, () -> new Filter.IsNull(attr, isNot));
    }
    if (token.kind() == Kind.END
        || token.kind() == Kind.RPAREN
        || token.is("AND")
        || token.is("OR")) {
      return build(name, () -> new Filter.Flag(attr));
    }
    throw error(
        token.start(),
        "expected " + OPERATORS + " after attribute " + name.describe() + ", found " + found());
  }

  /** {@code value op attribute}, stored as {@code attribute flipped-op value}. */
  private Filter valueFirst() {
    Object v = value("");
    if (token.kind() != Kind.OP) {
      throw error(
          token.start(),
          "expected a comparison operator (=, !=, <>, <, <=, >, >=) after the value, found "
              + found());
    }
    Filter.Op op = op(token).flip();
    advance();
    if (!(token.kind() == Kind.QUOTED_NAME || (token.kind() == Kind.NAME && !token.isKeyword()))) {
      throw error(token.start(), "expected an attribute name after the operator, found " + found());
    }
    Token name = attribute();
    return build(name, () -> new Filter.Compare((String) name.value(), op, v));
  }

  /** {@code contains(attr, 'tag')}, {@code contains_any(attr, 'a', ...)}, {@code contains_all}. */
  private Filter function() {
    Token fn = token;
    String name = fn.text().toLowerCase(Locale.ROOT);
    if (!name.equals("contains") && !name.equals("contains_any") && !name.equals("contains_all")) {
      throw error(
          fn.start(),
          "unknown function "
              + fn.describe()
              + ": expected contains, contains_any or contains_all");
    }
    advance();
    advance(); // '('
    if (!(token.kind() == Kind.QUOTED_NAME || (token.kind() == Kind.NAME && !token.isKeyword()))) {
      throw error(
          token.start(),
          "expected an attribute name as the first argument of " + name + "(), found " + found());
    }
    Token attr = attribute();
    List<String> tags = new ArrayList<>();
    expect(Kind.COMMA, "',' and a tag after the attribute in " + name + "()");
    tags.add(string("a tag string in " + name + "()"));
    while (token.kind() == Kind.COMMA) {
      advance();
      tags.add(string("a tag string after ','"));
    }
    if (token.kind() != Kind.RPAREN) {
      throw error(token.start(), "expected ',' or ')' in " + name + "(), found " + found());
    }
    if (name.equals("contains") && tags.size() > 1) {
      throw error(
          fn.start(), "contains() takes one tag; use contains_any or contains_all for several");
    }
    advance();
    Filter.Match match = name.equals("contains_all") ? Filter.Match.ALL : Filter.Match.ANY;
    return build(fn, () -> new Filter.Contains((String) attr.value(), match, tags));
  }

  private Object value(String context) {
    Token t = token;
    String where = context.isEmpty() ? "" : " " + context;
    switch (t.kind()) {
      case STRING, INTEGER, DECIMAL -> {
        advance();
        return t.value();
      }
      case NAME -> {
        if (t.is("TRUE") || t.is("FALSE")) {
          advance();
          return t.is("TRUE");
        }
        if (t.is("TIMESTAMP")) {
          advance();
          Token s = token;
          String iso = string("a string after TIMESTAMP, such as TIMESTAMP '2024-05-01T12:00:00Z'");
          try {
            return Timestamps.parse(iso);
          } catch (IllegalArgumentException e) {
            throw error(s.start(), e.getMessage());
          }
        }
        if (t.is("NULL")) {
          throw error(
              t.start(),
              "NULL is not a value that can be compared: use 'attribute IS NULL' or 'IS NOT NULL'");
        }
        throw error(t.start(), "expected " + VALUE + where + ", found " + found());
      }
      default -> throw error(t.start(), "expected " + VALUE + where + ", found " + found());
    }
  }

  private String string(String expected) {
    if (token.kind() != Kind.STRING) {
      throw error(token.start(), "expected " + expected + ", found " + found());
    }
    String s = (String) token.value();
    advance();
    return s;
  }

  private Token attribute() {
    Token t = token;
    try {
      Schema.checkName((String) t.value());
    } catch (IllegalArgumentException e) {
      throw error(t.start(), e.getMessage());
    }
    advance();
    return t;
  }

  private static Filter.Op op(Token t) {
    return switch (t.text()) {
      case "=" -> Filter.Op.EQ;
      case "!=", "<>" -> Filter.Op.NE;
      case "<" -> Filter.Op.LT;
      case "<=" -> Filter.Op.LE;
      case ">" -> Filter.Op.GT;
      case ">=" -> Filter.Op.GE;
      default -> throw new IllegalStateException(t.text());
    };
  }

  private void expect(Kind kind, String expected) {
    if (token.kind() != kind) {
      throw error(token.start(), "expected " + expected + ", found " + found());
    }
    advance();
  }

  private void enter(Token t) {
    if (++nesting > Filter.MAX_NESTING) {
      throw error(
          t.start(), "parentheses and NOT nest more than " + Filter.MAX_NESTING + " levels deep");
    }
  }

  /** Builds a node, turning a constructor's refusal into an error at {@code at}. */
  private Filter build(Token at, Supplier<Filter> node) {
    try {
      return node.get();
    } catch (IllegalArgumentException e) {
      throw error(at.start(), e.getMessage());
    }
  }

  private void advance() {
    if (lookahead != null) {
      token = lookahead;
      lookahead = null;
    } else {
      token = lexer.next();
    }
  }

  private Token peek() {
    if (lookahead == null) {
      lookahead = lexer.next();
    }
    return lookahead;
  }

  private String found() {
    return token.describe();
  }

  private String position(int offset) {
    FilterException e = FilterException.at(text, offset, "");
    return e.line() == 1 ? "column " + e.column() : "line " + e.line() + ", column " + e.column();
  }

  private FilterException error(int offset, String reason) {
    return FilterException.at(text, offset, reason);
  }
}
