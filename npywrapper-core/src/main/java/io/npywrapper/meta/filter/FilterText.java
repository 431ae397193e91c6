package io.npywrapper.meta.filter;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders a {@link Filter} as filter text that {@link FilterParser} reads back to an equal filter:
 * minimal parentheses (an AND inside an AND, or an OR inside an OR, keeps its parentheses so the
 * tree survives), {@code !=} for inequality, names that are keywords double-quoted. Stateless.
 */
final class FilterText {
  /** Words that cannot be bare attribute names (compared ignoring case). */
  static final Set<String> KEYWORDS =
      Set.of(
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
          "TIMESTAMP");

  private FilterText() {}

  static String render(Filter f) {
    StringBuilder sb = new StringBuilder();
    render(f, sb);
    return sb.toString();
  }

  private static void render(Filter f, StringBuilder sb) {
    switch (f) {
      case Filter.And a -> join(a.operands(), " AND ", sb, Filter.And.class);
      case Filter.Or o -> join(o.operands(), " OR ", sb, Filter.Or.class);
      case Filter.Not n -> {
        sb.append("NOT ");
        operand(n.operand(), sb, n.operand() instanceof Filter.And || isOr(n.operand()));
      }
      case Filter.Constant c -> sb.append(c.value() ? "TRUE" : "FALSE");
      case Filter.Compare c ->
          name(c.attribute(), sb)
              .append(' ')
              .append(c.op().symbol())
              .append(' ')
              .append(literal(c.value()));
      case Filter.In in -> {
        name(in.attribute(), sb).append(in.negated() ? " NOT IN (" : " IN (");
        for (int i = 0; i < in.values().size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(literal(in.values().get(i)));
        }
        sb.append(')');
      }
      case Filter.Between b ->
          name(b.attribute(), sb)
              .append(b.negated() ? " NOT BETWEEN " : " BETWEEN ")
              .append(literal(b.low()))
              .append(" AND ")
              .append(literal(b.high()));
      case Filter.IsNull n ->
          name(n.attribute(), sb).append(n.negated() ? " IS NOT NULL" : " IS NULL");
      case Filter.Like l -> {
        name(l.attribute(), sb).append(l.negated() ? " NOT LIKE " : " LIKE ");
        sb.append(string(l.pattern()));
        if (l.escape() != null) {
          sb.append(" ESCAPE ").append(string(l.escape().toString()));
        }
      }
      case Filter.Contains c -> {
        boolean single = c.match() == Filter.Match.ANY && c.tags().size() == 1;
        sb.append(
            single ? "contains" : c.match() == Filter.Match.ANY ? "contains_any" : "contains_all");
        name(c.attribute(), sb.append('('));
        for (String tag : c.tags()) {
          sb.append(", ").append(string(tag));
        }
        sb.append(')');
      }
      case Filter.Flag fl -> name(fl.attribute(), sb);
    }
  }

  private static boolean isOr(Filter f) {
    return f instanceof Filter.Or;
  }

  private static void join(
      List<Filter> operands, String op, StringBuilder sb, Class<? extends Filter> self) {
    for (int i = 0; i < operands.size(); i++) {
      Filter o = operands.get(i);
      sb.append(i == 0 ? "" : op);
      // AND binds tighter than OR: only an OR inside an AND needs parentheses for precedence; a
      // node of the same kind keeps them so that parsing rebuilds the same tree.
      boolean parens = self.isInstance(o) || (self == Filter.And.class && isOr(o));
      operand(o, sb, parens);
    }
  }

  private static void operand(Filter f, StringBuilder sb, boolean parens) {
    if (parens) {
      sb.append('(');
      render(f, sb);
      sb.append(')');
    } else {
      render(f, sb);
    }
  }

  /** An attribute name, double-quoted when it is a keyword. */
  static StringBuilder name(String attribute, StringBuilder sb) {
    if (KEYWORDS.contains(attribute.toUpperCase(Locale.ROOT))) {
      return sb.append('"').append(attribute).append('"');
    }
    return sb.append(attribute);
  }

  /** A literal value as filter text. */
  static String literal(Object v) {
    return switch (v) {
      case String s -> string(s);
      case Long l -> l.toString();
      case Double d -> d.toString();
      case Boolean b -> b ? "TRUE" : "FALSE";
      case Instant t -> "TIMESTAMP " + string(t.toString());
      default -> throw new IllegalStateException("not a filter literal: " + v);
    };
  }

  /** A single-quoted string, quotes doubled. */
  static String string(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
