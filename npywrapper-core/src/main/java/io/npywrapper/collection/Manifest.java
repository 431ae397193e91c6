package io.npywrapper.collection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import io.npywrapper.meta.index.SegmentStats;
import io.npywrapper.search.Metric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One committed version of a collection: everything a reader needs, with no other file to list or
 * scan. Written once as {@code <collection>/_manifests/v<20-digit version>.json} by put-if-absent;
 * the layout is in docs/FORMAT.md. Immutable and thread-safe.
 *
 * @param version this manifest's version, 1 for the collection's creation
 * @param commitId random id of the commit that wrote it, to recognise our own commit when its
 *     outcome was unknown
 * @param timestampMillis commit time
 * @param operation what the commit did: create, append, delete, compact, ...
 * @param spec name, dimension, metric, id type, schema, options
 * @param properties user key/value properties of the collection
 * @param segments sealed segments in commit order
 * @param walApplied per writer id, the last write-ahead-log record this version includes
 * @param nextId the next id assigned to rows added without ids (int64 collections)
 */
record Manifest(
    long version,
    String commitId,
    long timestampMillis,
    String operation,
    CollectionSpec spec,
    Map<String, String> properties,
    List<SegmentRef> segments,
    Map<String, Long> walApplied,
    long nextId) {

  static final String FORMAT = "npywrapper-manifest";
  static final int FORMAT_VERSION = 1;

  /** The only kind of segment index today: {@code index-<stamp>.hnsw}. */
  static final String INDEX_KIND = "hnsw";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  Manifest {
    properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    segments = List.copyOf(segments);
    walApplied = Collections.unmodifiableMap(new TreeMap<>(walApplied));
  }

  /** Live rows: stored rows minus deleted ones, over every segment. */
  long rowCount() {
    long n = 0;
    for (SegmentRef s : segments) {
      n += s.liveRows();
    }
    return n;
  }

  /** The store key of version {@code v}'s manifest, relative to the collection. */
  static String key(long v) {
    return String.format("_manifests/v%020d.json", v);
  }

  /** The version in a manifest key, or -1 if the key is not one. */
  static long versionOf(String key) {
    int slash = key.lastIndexOf('/');
    String n = key.substring(slash + 1);
    if (n.length() != 26 || !n.startsWith("v") || !n.endsWith(".json")) {
      return -1;
    }
    try {
      return Long.parseLong(n.substring(1, 21));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A successor of this manifest with the given changes and a fresh commit id. */
  Manifest next(
      String op,
      List<SegmentRef> newSegments,
      Map<String, Long> newWal,
      long newNextId,
      CollectionSpec newSpec,
      Map<String, String> newProps) {
    return new Manifest(
        version + 1,
        newCommitId(),
        System.currentTimeMillis(),
        op,
        newSpec,
        newProps,
        newSegments,
        newWal,
        newNextId);
  }

  static String newCommitId() {
    return java.util.UUID.randomUUID().toString();
  }

  // ------------------------------------------------------------------ JSON

  byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("collection", spec.name());
    root.put("version", version);
    root.put("commit_id", commitId);
    root.put("timestamp", Instant.ofEpochMilli(timestampMillis).toString());
    root.put("operation", operation);
    root.put("dim", spec.dim());
    root.put("dtype", "float32");
    root.put("metric", spec.metric().id());
    root.put("id_type", spec.idType().id());
    root.put("allow_non_finite", spec.allowNonFinite());
    root.put("next_id", nextId);
    ObjectNode schema = root.putObject("schema");
    spec.schema().types().forEach((k, t) -> schema.put(k, t.id()));
    ObjectNode props = root.putObject("properties");
    properties.forEach(props::put);
    ObjectNode wal = root.putObject("wal_applied");
    walApplied.forEach(wal::put);
    ArrayNode segs = root.putArray("segments");
    for (SegmentRef s : segments) {
      ObjectNode n = segs.addObject();
      n.put("id", s.id());
      n.put("rows", s.rows());
      n.put("deleted_rows", s.deletedRows());
      putId(n, "min_id", s.minId());
      putId(n, "max_id", s.maxId());
      n.put("ids_sorted", s.idsSorted());
      ObjectNode files = n.putObject("files");
      s.files().forEach((name, f) -> putFile(files.putObject(name), f));
      if (s.deletes() != null) {
        putFile(n.putObject("deletes"), s.deletes());
      }
      if (s.stats() != null) {
        n.set("stats", s.stats().toManifestJson(spec.schema()));
      }
      if (!s.properties().isEmpty()) {
        ObjectNode sp = n.putObject("properties");
        s.properties().forEach(sp::put);
      }
      if (s.index() != null) {
        ObjectNode ix = n.putObject("index");
        ix.put("kind", INDEX_KIND);
        putFile(ix, s.index().graph());
        if (s.index().codes() != null) {
          ix.put("quantization", s.index().quantization().id());
          putFile(ix.putObject("codes"), s.index().codes());
          putFile(ix.putObject("params"), s.index().params());
        }
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putId(ObjectNode n, String field, Object id) {
    switch (id) {
      case null -> n.putNull(field);
      case Long l -> n.put(field, l);
      case String s -> n.put(field, s);
      default -> throw new IllegalStateException("id " + id);
    }
  }

  private static void putFile(ObjectNode n, FileRef f) {
    n.put("key", f.key());
    n.put("size", f.size());
    n.put("crc32c", f.crcHex());
  }

  /**
   * Parses a manifest.
   *
   * @throws CorruptFileException naming {@code source} when it is not a valid manifest
   * @throws FormatTooNewException when it was written by a newer format version
   */
  static Manifest parse(byte[] json, String source) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new CorruptFileException(source, "not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new CorruptFileException(source, "not a manifest (no \"format\": \"" + FORMAT + "\")");
    }
    int fv = root.path("format_version").asInt(-1);
    if (fv > FORMAT_VERSION) {
      throw new FormatTooNewException(source, fv, FORMAT_VERSION);
    }
    if (fv < 1) {
      throw new CorruptFileException(source, "bad format_version " + root.get("format_version"));
    }
    try {
      IdType idType = IdType.parse(text(root, "id_type"));
      Map<String, AttributeType> types = new LinkedHashMap<>();
      root.path("schema")
          .properties()
          .forEach(e -> types.put(e.getKey(), AttributeType.parse(e.getValue().asText())));
      CollectionSpec spec =
          new CollectionSpec(
              text(root, "collection"),
              root.path("dim").asInt(-1),
              Metric.parse(text(root, "metric")),
              idType,
              Schema.of(types),
              root.path("allow_non_finite").asBoolean(false));
      Map<String, String> props = new LinkedHashMap<>();
      root.path("properties")
          .properties()
          .forEach(e -> props.put(e.getKey(), e.getValue().asText()));
      Map<String, Long> wal = new LinkedHashMap<>();
      root.path("wal_applied")
          .properties()
          .forEach(e -> wal.put(e.getKey(), e.getValue().asLong()));
      List<SegmentRef> segs = new ArrayList<>();
      for (JsonNode n : root.path("segments")) {
        Map<String, FileRef> files = new LinkedHashMap<>();
        n.path("files").properties().forEach(e -> files.put(e.getKey(), fileRef(e.getValue())));
        JsonNode del = n.get("deletes");
        JsonNode stats = n.get("stats");
        JsonNode index = n.get("index");
        long rows = n.path("rows").asLong();
        Map<String, String> segProps = new LinkedHashMap<>();
        n.path("properties")
            .properties()
            .forEach(e -> segProps.put(e.getKey(), e.getValue().asText()));
        segs.add(
            new SegmentRef(
                text(n, "id"),
                rows,
                files,
                del == null || del.isNull() ? null : fileRef(del),
                n.path("deleted_rows").asLong(0),
                idValue(n.get("min_id")),
                idValue(n.get("max_id")),
                n.path("ids_sorted").asBoolean(false),
                stats == null || stats.isNull()
                    ? null
                    : SegmentStats.fromManifestJson(rows, stats, spec.schema()),
                segProps,
                indexRef(index)));
      }
      return new Manifest(
          root.path("version").asLong(),
          text(root, "commit_id"),
          Instant.parse(text(root, "timestamp")).toEpochMilli(),
          text(root, "operation"),
          spec,
          props,
          segs,
          wal,
          root.path("next_id").asLong(0));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new CorruptFileException(source, e.getMessage());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing or non-string field \"" + field + "\"");
    }
    return v.asText();
  }

  private static Object idValue(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return n.isTextual() ? n.asText() : (Object) n.asLong();
  }

  /**
   * A segment's index, or null when absent or of a kind or quantization this build does not know
   * (rebuilt).
   */
  private static IndexRef indexRef(JsonNode n) {
    if (n == null || n.isNull() || !INDEX_KIND.equals(n.path("kind").asText())) {
      return null;
    }
    String q = n.path("quantization").asText(IndexQuantization.NONE.id());
    if (q.equals(IndexQuantization.NONE.id())) {
      return IndexRef.of(fileRef(n));
    }
    if (q.equals(IndexQuantization.INT8.id())) {
      return new IndexRef(fileRef(n), fileRef(n.path("codes")), fileRef(n.path("params")));
    }
    return null;
  }

  private static FileRef fileRef(JsonNode n) {
    String key = text(n, "key");
    if (!io.npywrapper.store.Keys.isValid(key)) {
      // A key such as "../x" would reach outside the collection (and outside a download cache).
      throw new IllegalArgumentException("file key '" + key + "' is not a valid store key");
    }
    return new FileRef(key, n.path("size").asLong(-1), (int) Long.parseLong(text(n, "crc32c"), 16));
  }

  /** The manifest's bytes as text, for messages and tests. */
  String toJsonString() {
    return new String(toJson(), StandardCharsets.UTF_8);
  }
}
