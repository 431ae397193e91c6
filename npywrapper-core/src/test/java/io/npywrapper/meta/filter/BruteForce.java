package io.npywrapper.meta.filter;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An independent, deliberately plain evaluator of unbound filters for property tests: Boolean with
 * null for UNKNOWN, numbers as exact BigDecimals, strings as code point arrays, LIKE through a
 * regular expression, timestamps as Instants. Shares nothing with the production evaluator but the
 * Filter records. Stateless.
 */
final class BruteForce {
  private BruteForce() {}

  static Truth evaluate(Filter f, Schema schema, Map<String, Object> row) {
    Boolean b = eval(f, schema, row);
    return b == null ? Truth.UNKNOWN : b ? Truth.TRUE : Truth.FALSE;
  }

  private static Boolean eval(Filter f, Schema schema, Map<String, Object> row) {
    switch (f) {
      case Filter.And a -> {
        boolean unknown = false;
        for (Filter o : a.operands()) {
          Boolean b = eval(o, schema, row);
          if (b == null) {
            unknown = true;
          } else if (!b) {
            return false;
          }
        }
        return unknown ? null : true;
      }
      case Filter.Or o -> {
        boolean unknown = false;
        for (Filter x : o.operands()) {
          Boolean b = eval(x, schema, row);
          if (b == null) {
            unknown = true;
          } else if (b) {
            return true;
          }
        }
        return unknown ? null : false;
      }
      case Filter.Not n -> {
        Boolean b = eval(n.operand(), schema, row);
        return b == null ? null : !b;
      }
      case Filter.Constant c -> {
        return c.value();
      }
      case Filter.IsNull n -> {
        return (cell(schema, row, n.attribute()) == null) != n.negated();
      }
      default -> {}
    }
    String attr = attribute(f);
    AttributeType type = schema.type(attr);
    Object v = cell(schema, row, attr);
    if (v == null) {
      return null;
    }
    return switch (f) {
      case Filter.Compare c -> {
        int r = compare(v, literal(type, c.value()));
        yield switch (c.op()) {
          case EQ -> r == 0;
          case NE -> r != 0;
          case LT -> r < 0;
          case LE -> r <= 0;
          case GT -> r > 0;
          case GE -> r >= 0;
        };
      }
      case Filter.In in -> {
        boolean found = false;
        for (Object lit : in.values()) {
          found |= compare(v, literal(type, lit)) == 0;
        }
        yield found != in.negated();
      }
      case Filter.Between b -> {
        boolean inside =
            compare(v, literal(type, b.low())) >= 0 && compare(v, literal(type, b.high())) <= 0;
        yield inside != b.negated();
      }
      case Filter.Like l ->
          like(l.pattern(), l.escape()).matcher((String) v).matches() != l.negated();
      case Filter.Contains c -> {
        List<?> list = (List<?>) v;
        yield c.match() == Filter.Match.ALL
            ? list.containsAll(c.tags())
            : c.tags().stream().anyMatch(list::contains);
      }
      case Filter.Flag fl -> (Boolean) v;
      default -> throw new AssertionError(f);
    };
  }

  private static String attribute(Filter f) {
    return switch (f) {
      case Filter.Compare c -> c.attribute();
      case Filter.In in -> in.attribute();
      case Filter.Between b -> b.attribute();
      case Filter.Like l -> l.attribute();
      case Filter.Contains c -> c.attribute();
      case Filter.Flag fl -> fl.attribute();
      default -> throw new AssertionError(f);
    };
  }

  /** The row's value in a comparable form, or null. */
  static Object cell(Schema schema, Map<String, Object> row, String attr) {
    Object v = row.get(attr);
    if (v == null) {
      return null;
    }
    return switch (schema.type(attr)) {
      case STRING, BOOL -> v;
      case INT64 -> BigDecimal.valueOf(((Number) v).longValue());
      case FLOAT64 -> new BigDecimal(((Number) v).doubleValue());
      case TIMESTAMP -> v instanceof Instant t ? micros(t) : parse((String) v);
      case STRING_LIST -> v instanceof String[] a ? Arrays.asList(a) : (List<?>) v;
    };
  }

  private static Object literal(AttributeType type, Object lit) {
    return switch (lit) {
      case Long l -> BigDecimal.valueOf(l);
      case Double d -> new BigDecimal(d);
      case Instant t -> micros(t);
      case String s when type == AttributeType.TIMESTAMP -> parse(s);
      default -> lit;
    };
  }

  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /** ISO-8601 as the filter language accepts it: offset or UTC, 'T' or ' ', or a date alone. */
  static Instant parse(String s) {
    String iso = s.length() > 10 ? s.substring(0, 10) + "T" + s.substring(11) : s;
    if (iso.length() == 10) {
      return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")) {
      return micros(OffsetDateTime.parse(iso).toInstant());
    }
    return micros(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC));
  }

  @SuppressWarnings("unchecked")
  private static int compare(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray());
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  static Pattern like(String pattern, Character escape) {
    StringBuilder regex = new StringBuilder();
    int[] cps = pattern.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (escape != null && c == escape) {
        regex.append(Pattern.quote(Character.toString(cps[++i])));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(Character.toString(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
