package io.npywrapper.meta.filter;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a {@link Filter} against a {@link Schema} and turns it into a {@link Bound} tree. The type
 * rules: strings take string literals; int64 and float64 take integer or float literals; bool takes
 * TRUE/FALSE with =, !=, IN or alone; timestamps take TIMESTAMP '...' or an ISO-8601 string; LIKE
 * needs a string attribute; contains() and its kin need a string_list attribute, which takes no
 * other test but IS [NOT] NULL. Every error names the attribute, its type and the condition.
 * Stateless.
 */
final class Binder {
  private Binder() {}

  static Bound bind(Filter f, Schema schema) {
    return switch (f) {
      case Filter.And a -> new Bound.And(all(a.operands(), schema));
      case Filter.Or o -> new Bound.Or(all(o.operands(), schema));
      case Filter.Not n -> new Bound.Not(bind(n.operand(), schema));
      case Filter.Constant c -> new Bound.Const(c.value());
      case Filter.Compare c -> {
        Bound.Column col = scalar(c.attribute(), schema, f);
        if (c.op() != Filter.Op.EQ && c.op() != Filter.Op.NE) {
          ordered(col, "'" + c.op().symbol() + "'", f);
        }
        yield new Bound.Compare(col, c.op(), literal(col, c.value(), f));
      }
      case Filter.In in -> {
        Bound.Column col = scalar(in.attribute(), schema, f);
        List<Object> values = new ArrayList<>();
        for (Object v : in.values()) {
          values.add(literal(col, v, f));
        }
        yield negate(new Bound.In(col, values), in.negated());
      }
      case Filter.Between b -> {
        Bound.Column col = scalar(b.attribute(), schema, f);
        ordered(col, "BETWEEN", f);
        Bound range = new Bound.Range(col, literal(col, b.low(), f), literal(col, b.high(), f));
        yield negate(range, b.negated());
      }
      case Filter.IsNull n ->
          negate(new Bound.IsNull(column(n.attribute(), schema, f)), n.negated());
      case Filter.Like l -> {
        Bound.Column col = column(l.attribute(), schema, f);
        if (col.type() != AttributeType.STRING) {
          throw error(
              "LIKE needs a string attribute; '"
                  + col.name()
                  + "' is "
                  + col.type().id()
                  + " in "
                  + quote(f));
        }
        yield negate(
            new Bound.Like(col, LikePattern.compile(l.pattern(), l.escape())), l.negated());
      }
      case Filter.Contains c -> {
        Bound.Column col = column(c.attribute(), schema, f);
        if (col.type() != AttributeType.STRING_LIST) {
          throw error(
              "contains(), contains_any() and contains_all() need a string_list attribute; '"
                  + col.name()
                  + "' is "
                  + col.type().id()
                  + " in "
                  + quote(f)
                  + "; compare it with = or IN instead");
        }
        yield new Bound.Contains(col, c.match() == Filter.Match.ALL, new HashSet<>(c.tags()));
      }
      case Filter.Flag fl -> {
        Bound.Column col = scalar(fl.attribute(), schema, f);
        if (col.type() != AttributeType.BOOL) {
          throw error(
              "attribute '"
                  + col.name()
                  + "' is "
                  + col.type().id()
                  + "; only a bool attribute can stand alone as a condition ("
                  + quote(f)
                  + "); compare it with a value instead");
        }
        yield new Bound.Compare(col, Filter.Op.EQ, Boolean.TRUE);
      }
    };
  }

  private static List<Bound> all(List<Filter> operands, Schema schema) {
    List<Bound> out = new ArrayList<>(operands.size());
    for (Filter f : operands) {
      out.add(bind(f, schema));
    }
    return out;
  }

  private static Bound negate(Bound b, boolean negated) {
    return negated ? new Bound.Not(b) : b;
  }

  private static Bound.Column column(String name, Schema schema, Filter where) {
    AttributeType t = schema.type(name);
    if (t == null) {
      String known =
          schema.isEmpty()
              ? "the collection has no attributes"
              : "the attributes are "
                  + schema.types().entrySet().stream()
                      .map(e -> e.getKey() + " (" + e.getValue().id() + ")")
                      .collect(Collectors.joining(", "));
      throw error("unknown attribute '" + name + "' in " + quote(where) + "; " + known);
    }
    return new Bound.Column(name, t);
  }

  /** A column that holds one value per row (not a string list). */
  private static Bound.Column scalar(String name, Schema schema, Filter where) {
    Bound.Column col = column(name, schema, where);
    if (col.type() == AttributeType.STRING_LIST) {
      throw error(
          "'"
              + name
              + "' is a string_list: test it with contains("
              + name
              + ", 'tag'), contains_any, contains_all or IS [NOT] NULL, not "
              + quote(where));
    }
    return col;
  }

  private static void ordered(Bound.Column col, String operator, Filter where) {
    if (col.type() == AttributeType.BOOL) {
      throw error(
          operator
              + " does not apply to bool attribute '"
              + col.name()
              + "' in "
              + quote(where)
              + ": a bool supports =, !=, IN, IS [NOT] NULL or standing alone");
    }
  }

  /** A literal in the column's evaluation form, or an error naming both. */
  private static Object literal(Bound.Column col, Object v, Filter where) {
    boolean fits =
        switch (col.type()) {
          case STRING -> v instanceof String;
          case INT64, FLOAT64 -> v instanceof Long || v instanceof Double;
          case BOOL -> v instanceof Boolean;
          case TIMESTAMP -> v instanceof Instant || v instanceof String;
          case STRING_LIST -> false;
        };
    if (!fits) {
      throw error(
          "type mismatch in "
              + quote(where)
              + ": attribute '"
              + col.name()
              + "' is "
              + col.type().id()
              + ", the value is "
              + Values.describe(v)
              + hint(col));
    }
    if (col.type() != AttributeType.TIMESTAMP) {
      return v;
    }
    if (v instanceof Instant t) {
      return Timestamps.toMicros(t);
    }
    try {
      return Timestamps.toMicros(Timestamps.parse((String) v));
    } catch (IllegalArgumentException e) {
      throw error(
          "type mismatch in "
              + quote(where)
              + ": attribute '"
              + col.name()
              + "' is timestamp; "
              + e.getMessage());
    }
  }

  private static String hint(Bound.Column col) {
    return switch (col.type()) {
      case STRING -> " (string values are quoted: 'text')";
      case INT64, FLOAT64 -> " (numbers are written without quotes)";
      case BOOL -> " (write TRUE or FALSE)";
      case TIMESTAMP -> " (write TIMESTAMP '2024-05-01T12:00:00Z' or an ISO-8601 string)";
      case STRING_LIST -> "";
    };
  }

  private static String quote(Filter f) {
    return "\"" + f + "\"";
  }

  private static FilterException error(String reason) {
    return FilterException.semantic(reason);
  }
}
