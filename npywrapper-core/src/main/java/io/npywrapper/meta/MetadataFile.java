package io.npywrapper.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-row attributes read from a file, one row per vector in the same order: JSON lines ({@code
 * .jsonl}, {@code .ndjson}: one object per line, {@code null} or a missing key is null) or CSV
 * ({@code .csv}: RFC 4180 with a header row naming the attributes; an empty cell is null; a {@code
 * string_list} cell holds a JSON array such as {@code ["a","b"]}). Values become the schema's types
 * with {@link #rows(Schema)}; {@link #inferTypes} proposes a schema for a new collection. Errors
 * name the file and line. Immutable once read; thread-safe.
 */
public final class MetadataFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final boolean csv;
  private final List<String> columns;
  private final List<Map<String, Object>> raw; // JSON values, or CSV strings
  private final List<Long> lines; // line where each row starts

  private MetadataFile(
      Path file,
      boolean csv,
      List<String> columns,
      List<Map<String, Object>> raw,
      List<Long> lines) {
    this.file = file;
    this.csv = csv;
    this.columns = List.copyOf(columns);
    this.raw = raw;
    this.lines = lines;
  }

  /**
   * Reads {@code file}, choosing the format by its extension.
   *
   * @throws IllegalArgumentException for an unknown extension or malformed content, naming the line
   */
  public static MetadataFile read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return readCsv(file);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return readJsonLines(file);
    }
    throw new IllegalArgumentException(
        file + ": metadata must be JSON lines (.jsonl, .ndjson) or CSV (.csv)");
  }

  /** Number of rows. */
  public int rowCount() {
    return raw.size();
  }

  /** Attribute names in order of first appearance (CSV: the header). */
  public List<String> columns() {
    return columns;
  }

  /**
   * A type for every column: the {@code declared} one (declared attributes absent from the file are
   * kept too), else one inferred from the values present: whole numbers int64, other numbers
   * float64, true/false bool, JSON arrays of strings (in CSV too) string_list, anything else
   * string. Timestamps are not guessed: declare them.
   *
   * @throws IllegalArgumentException for a column whose values disagree or that is null in every
   *     row, asking for its type
   */
  public Map<String, AttributeType> inferTypes(Map<String, AttributeType> declared) {
    Map<String, AttributeType> out = new LinkedHashMap<>();
    for (String col : columns) {
      if (declared.containsKey(col)) {
        out.put(col, declared.get(col));
        continue;
      }
      AttributeType type = null;
      long firstLine = -1;
      for (int i = 0; i < raw.size(); i++) {
        Object v = raw.get(i).get(col);
        if (v == null) {
          continue;
        }
        AttributeType t = csv ? guessCsv((String) v) : guessJson(v);
        if (type == null) {
          type = t;
          firstLine = lines.get(i);
        } else if (type != t) {
          if (type == AttributeType.INT64 && t == AttributeType.FLOAT64) {
            type = t;
          } else if (!(type == AttributeType.FLOAT64 && t == AttributeType.INT64)) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: cannot infer the type of '%s': line %d has %s, line %d %s; declare it"
                        + " with --schema %s:TYPE",
                    file, col, firstLine, type.id(), lines.get(i), t.id(), col));
          }
        }
      }
      if (type == null) {
        throw new IllegalArgumentException(
            file
                + ": '"
                + col
                + "' is null in every row; declare its type with --schema "
                + col
                + ":TYPE");
      }
      out.put(col, type);
    }
    declared.forEach(out::putIfAbsent);
    return out;
  }

  /**
   * The rows with values converted to {@code schema}'s types.
   *
   * @throws IllegalArgumentException for an attribute the schema lacks or a value that does not fit
   *     its type, naming the file, line and attribute
   */
  public List<Map<String, Object>> rows(Schema schema) {
    for (String col : columns) {
      if (schema.type(col) == null) {
        throw new IllegalArgumentException(
            file
                + ": attribute '"
                + col
                + "' is not in the collection's schema "
                + schema.types().keySet()
                + " (attributes cannot yet be added to an existing"
                + " collection)");
      }
    }
    List<Map<String, Object>> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Object> row = new HashMap<>();
      for (Map.Entry<String, Object> e : raw.get(i).entrySet()) {
        AttributeType t = schema.type(e.getKey());
        try {
          Object v = e.getValue();
          row.put(e.getKey(), v == null ? null : csv ? fromCsv(t, (String) v) : t.coerce(v));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(
              file
                  + ": line "
                  + lines.get(i)
                  + ": attribute '"
                  + e.getKey()
                  + "': "
                  + ex.getMessage(),
              ex);
        }
      }
      out.add(row);
    }
    return out;
  }

  private static MetadataFile readJsonLines(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    LinkedHashMap<String, Boolean> columns = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(
              file + ": line " + lineNo + ": not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
          throw new IllegalArgumentException(
              file + ": line " + lineNo + ": expected one JSON object per line");
        }
        Map<String, Object> row = new HashMap<>();
        for (var it = node.properties().iterator(); it.hasNext(); ) {
          var e = it.next();
          Schema.checkName(e.getKey());
          columns.put(e.getKey(), true);
          row.put(e.getKey(), value(e.getValue(), file, lineNo, e.getKey()));
        }
        rows.add(row);
        lines.add(lineNo);
      }
    }
    return new MetadataFile(file, false, List.copyOf(columns.keySet()), rows, lines);
  }

  private static Object value(JsonNode v, Path file, long line, String key) {
    if (v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode x : v) {
        if (!x.isTextual()) {
          throw new IllegalArgumentException(
              file
                  + ": line "
                  + line
                  + ": '"
                  + key
                  + "' is an array with a non-string "
                  + x
                  + "; only arrays of strings (string_list) are supported");
        }
        list.add(x.textValue());
      }
      return list;
    }
    throw new IllegalArgumentException(
        file
            + ": line "
            + line
            + ": '"
            + key
            + "' holds "
            + v.getNodeType().name().toLowerCase(Locale.ROOT)
            + "; attribute values are strings, numbers, booleans or string arrays");
  }

  private static AttributeType guessJson(Object v) {
    return switch (v) {
      case Long l -> AttributeType.INT64;
      case Double d -> AttributeType.FLOAT64;
      case Boolean b -> AttributeType.BOOL;
      case List<?> l -> AttributeType.STRING_LIST;
      default -> AttributeType.STRING;
    };
  }

  private static AttributeType guessCsv(String s) {
    if (s.startsWith("[")) {
      try {
        JsonNode n = JSON.readTree(s);
        boolean strings = n != null && n.isArray();
        for (JsonNode x : strings ? n : JSON.createArrayNode()) {
          strings &= x.isTextual();
        }
        if (strings) {
          return AttributeType.STRING_LIST;
        }
      } catch (JsonProcessingException e) {
        // not a JSON array: a string
      }
    }
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return AttributeType.BOOL;
    }
    try {
      Long.parseLong(s.strip());
      return AttributeType.INT64;
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      Double.parseDouble(s.strip());
      return AttributeType.FLOAT64;
    } catch (NumberFormatException e) {
      return AttributeType.STRING;
    }
  }

  private static Object fromCsv(AttributeType t, String s) {
    try {
      return switch (t) {
        case STRING, TIMESTAMP -> t.coerce(s);
        case INT64 -> Long.parseLong(s.strip());
        case FLOAT64 -> Double.parseDouble(s.strip());
        case BOOL -> {
          if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            yield Boolean.parseBoolean(s);
          }
          throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        }
        case STRING_LIST -> {
          JsonNode n = JSON.readTree(s);
          if (n == null || !n.isArray()) {
            throw new IllegalArgumentException(
                "expected a JSON array of strings such as [\"a\",\"b\"], got '" + s + "'");
          }
          List<String> out = new ArrayList<>();
          n.forEach(x -> out.add(x.isTextual() ? x.textValue() : null));
          yield t.coerce(out);
        }
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + t.id() + ", got '" + s + "'", e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "expected a JSON array of strings, got '" + s + "': " + e.getOriginalMessage(), e);
    }
  }

  private static MetadataFile readCsv(Path file) throws IOException {
    List<List<String>> records = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    Csv.parse(Files.readString(file, StandardCharsets.UTF_8), file, records, starts);
    if (records.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty CSV: expected a header row");
    }
    List<String> header = records.get(0);
    for (String h : header) {
      Schema.checkName(h);
    }
    List<Map<String, Object>> rows = new ArrayList<>(records.size() - 1);
    for (int r = 1; r < records.size(); r++) {
      List<String> rec = records.get(r);
      if (rec.size() != header.size()) {
        throw new IllegalArgumentException(
            file
                + ": line "
                + starts.get(r)
                + " has "
                + rec.size()
                + " fields, the header has "
                + header.size());
      }
      Map<String, Object> row = new HashMap<>();
      for (int c = 0; c < header.size(); c++) {
        row.put(header.get(c), rec.get(c).isEmpty() ? null : rec.get(c));
      }
      rows.add(row);
    }
    return new MetadataFile(file, true, header, rows, starts.subList(1, starts.size()));
  }
}
