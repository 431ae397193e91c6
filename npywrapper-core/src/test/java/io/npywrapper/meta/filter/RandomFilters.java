package io.npywrapper.meta.filter;

import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random schemas, rows (with nulls, and values in every form {@code coerce} accepts) and well-typed
 * random filters for property tests. Values come from small pools so that equality, ranges and
 * patterns often hit. Not thread-safe (one per test).
 */
final class RandomFilters {
  static final String[] NAMES = {"a", "b", "c", "d", "e", "order", "null", "Tag_9"};
  static final String[] STRINGS = {
    "", "a", "ab", "abc", "b", "B", "ba", "é", "😀", "a%", "_", "it's", "a\nb", "zz", "%!_", "!"
  };
  static final long[] LONGS = {
    -3, -2, -1, 0, 1, 2, 3, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53, (1L << 53) + 1
  };
  static final double[] DOUBLES = {
    -2.5, -0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 2.5, 1e300, -1e-300, 9007199254740992.0, 1e19
  };
  static final Instant[] INSTANTS = {
    Instant.parse("1970-01-01T00:00:00Z"),
    Instant.parse("2024-01-01T00:00:00Z"),
    Instant.parse("2024-01-01T00:00:00.000001Z"),
    Instant.parse("2024-06-30T12:34:56.789012Z"),
    Instant.parse("1969-12-31T23:59:59.999999Z"),
    Instant.parse("2100-01-01T00:00:00Z")
  };
  static final String[] TAGS = {"a", "b", "c", "d"};
  static final String[] LIKE_PIECES = {"a", "b", "%", "_", "é", "😀", "!%", "!_", "!!", "'"};

  private final Random rnd;

  RandomFilters(Random rnd) {
    this.rnd = rnd;
  }

  Schema schema() {
    Map<String, AttributeType> m = new LinkedHashMap<>();
    int n = 1 + rnd.nextInt(5);
    List<String> names = new ArrayList<>(List.of(NAMES));
    for (int i = 0; i < n; i++) {
      String name = names.remove(rnd.nextInt(names.size()));
      m.put(name, AttributeType.values()[rnd.nextInt(AttributeType.values().length)]);
    }
    return Schema.of(m);
  }

  List<Map<String, Object>> rows(Schema schema, int count) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> row = new HashMap<>();
      for (var e : schema.types().entrySet()) {
        if (rnd.nextInt(5) > 0) {
          row.put(e.getKey(), value(e.getValue()));
        } else if (rnd.nextBoolean()) {
          row.put(e.getKey(), null); // explicit null; otherwise absent
        }
      }
      rows.add(row);
    }
    return rows;
  }

  /** A row value, sometimes in a form that coerce() normalizes. */
  private Object value(AttributeType type) {
    return switch (type) {
      case STRING -> pick(STRINGS);
      case INT64 -> {
        long v = longValue();
        yield v == (int) v && rnd.nextBoolean() ? (Object) (int) v : (Object) v;
      }
      case FLOAT64 -> rnd.nextInt(4) == 0 ? (Object) longValue() : (Object) pick(DOUBLES);
      case BOOL -> rnd.nextBoolean();
      case TIMESTAMP -> {
        Instant t = pick(INSTANTS);
        yield switch (rnd.nextInt(3)) {
          case 0 -> t;
          case 1 -> t.plusNanos(rnd.nextInt(1000)); // finer than microseconds: truncated
          default -> isoText(t);
        };
      }
      case STRING_LIST -> {
        String[] tags = new String[rnd.nextInt(4)];
        for (int i = 0; i < tags.length; i++) {
          tags[i] = pick(TAGS);
        }
        yield rnd.nextBoolean() ? tags : List.of(tags);
      }
    };
  }

  /** A well-typed filter over the schema, AND/OR/NOT nested up to {@code depth}. */
  Filter filter(Schema schema, int depth) {
    if (depth > 0 && rnd.nextInt(10) < 6) {
      return switch (rnd.nextInt(5)) {
        case 0, 1 -> filter(schema, depth - 1).and(filter(schema, depth - 1));
        case 2, 3 -> Filter.anyOf(filter(schema, depth - 1), filter(schema, depth - 1));
        default -> Filter.not(filter(schema, depth - 1));
      };
    }
    if (rnd.nextInt(25) == 0) {
      return rnd.nextBoolean() ? Filter.TRUE : Filter.FALSE;
    }
    List<String> names = new ArrayList<>(schema.types().keySet());
    String name = names.get(rnd.nextInt(names.size()));
    AttributeType type = schema.type(name);
    if (rnd.nextInt(8) == 0) {
      return rnd.nextBoolean() ? Filter.isNull(name) : Filter.isNotNull(name);
    }
    return switch (type) {
      case STRING_LIST -> {
        String[] tags = new String[1 + rnd.nextInt(3)];
        for (int i = 0; i < tags.length; i++) {
          tags[i] = pick(TAGS);
        }
        yield switch (rnd.nextInt(3)) {
          case 0 -> Filter.contains(name, tags[0]);
          case 1 -> Filter.containsAny(name, tags);
          default -> Filter.containsAll(name, tags);
        };
      }
      case BOOL ->
          switch (rnd.nextInt(4)) {
            case 0 -> Filter.flag(name);
            case 1 ->
                rnd.nextBoolean() ? Filter.eq(name, literal(type)) : Filter.ne(name, literal(type));
            case 2 -> Filter.in(name, literal(type));
            default -> Filter.notIn(name, literal(type), literal(type));
          };
      default -> scalar(name, type);
    };
  }

  private Filter scalar(String name, AttributeType type) {
    int kinds = type == AttributeType.STRING ? 4 : 3;
    return switch (rnd.nextInt(kinds)) {
      case 0 -> {
        Filter.Op op = Filter.Op.values()[rnd.nextInt(Filter.Op.values().length)];
        yield new Filter.Compare(name, op, literal(type));
      }
      case 1 -> {
        Object[] values = new Object[1 + rnd.nextInt(3)];
        for (int i = 0; i < values.length; i++) {
          values[i] = literal(type);
        }
        yield rnd.nextBoolean() ? Filter.in(name, values) : Filter.notIn(name, values);
      }
      case 2 ->
          rnd.nextBoolean()
              ? Filter.between(name, literal(type), literal(type))
              : Filter.notBetween(name, literal(type), literal(type));
      default -> {
        StringBuilder p = new StringBuilder();
        for (int i = rnd.nextInt(5); i > 0; i--) {
          p.append(pick(LIKE_PIECES));
        }
        boolean escape = rnd.nextBoolean();
        String pattern = p.toString();
        if (!escape) {
          yield rnd.nextBoolean() ? Filter.like(name, pattern) : Filter.notLike(name, pattern);
        }
        yield rnd.nextBoolean()
            ? Filter.like(name, pattern, '!')
            : Filter.notLike(name, pattern, '!');
      }
    };
  }

  /** A literal that fits an attribute of {@code type}. */
  Object literal(AttributeType type) {
    return switch (type) {
      case STRING -> pick(STRINGS);
      case INT64 -> rnd.nextInt(4) == 0 ? (Object) pick(DOUBLES) : (Object) longValue();
      case FLOAT64 -> rnd.nextInt(4) == 0 ? (Object) longValue() : (Object) pick(DOUBLES);
      case BOOL -> rnd.nextBoolean();
      case TIMESTAMP -> rnd.nextBoolean() ? pick(INSTANTS) : isoText(pick(INSTANTS));
      case STRING_LIST -> throw new IllegalArgumentException("no literal for a string list");
    };
  }

  private long longValue() {
    return LONGS[rnd.nextInt(LONGS.length)];
  }

  /** The instant as ISO-8601 text in one of the accepted spellings. */
  private String isoText(Instant t) {
    return switch (rnd.nextInt(4)) {
      case 0 -> t.toString();
      case 1 -> t.atOffset(ZoneOffset.ofHours(2)).toString();
      case 2 ->
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
              .format(t.atOffset(ZoneOffset.UTC));
      default ->
          t.getEpochSecond() % 86400 == 0 && t.getNano() == 0
              ? t.toString().substring(0, 10)
              : t.toString();
    };
  }

  private <T> T pick(T[] values) {
    return values[rnd.nextInt(values.length)];
  }

  private double pick(double[] values) {
    return values[rnd.nextInt(values.length)];
  }
}
