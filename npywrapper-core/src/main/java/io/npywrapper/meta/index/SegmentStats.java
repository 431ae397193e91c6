package io.npywrapper.meta.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npywrapper.meta.AttributeType;
import io.npywrapper.meta.Schema;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statistics of one segment, per attribute ({@link AttributeStats}), written at the segment's
 * creation both as its {@code stats.json} file and, compactly, into the manifest's segment entry,
 * so that {@link Pruner} can rule a segment out without reading any of its files. An attribute
 * absent from the map has no statistics (its column was added after the segment was written, or the
 * segment predates statistics) and may match anything. Immutable and thread-safe.
 *
 * @param rows rows in the segment, deleted ones included
 * @param attributes statistics by attribute name
 */
public record SegmentStats(long rows, Map<String, AttributeStats> attributes) {
  /** {@code "format"} of {@code stats.json}. */
  public static final String FORMAT = "npywrapper-segment-stats";

  public static final int FORMAT_VERSION = 1;

  /** The file name in the segment directory. */
  public static final String FILE = "stats.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SegmentStats {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** The manifest's compact {@code "stats"} object: attribute name to statistics. */
  public ObjectNode toManifestJson(Schema schema) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    attributes.forEach(
        (name, s) -> {
          AttributeType t = schema.types().get(name);
          if (t != null) {
            n.set(name, s.toJson(t));
          }
        });
    return n;
  }

  /**
   * Parses a manifest's {@code "stats"} object; attributes not in {@code schema} are ignored.
   *
   * @throws IllegalArgumentException naming the attribute when an entry is malformed
   */
  public static SegmentStats fromManifestJson(long rows, JsonNode n, Schema schema) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("segment \"stats\" must be a JSON object, got " + n);
    }
    Map<String, AttributeStats> attrs = new LinkedHashMap<>();
    for (var e : n.properties()) {
      AttributeType t = schema.types().get(e.getKey());
      if (t == null) {
        continue;
      }
      try {
        attrs.put(e.getKey(), AttributeStats.fromJson(t, e.getValue()));
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(
            "statistics of attribute '" + e.getKey() + "': " + x.getMessage(), x);
      }
    }
    return new SegmentStats(rows, attrs);
  }

  /** The bytes of {@code stats.json} (docs/FORMAT.md). */
  public byte[] toFile(Schema schema) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("rows", rows);
    ObjectNode types = root.putObject("types");
    schema.types().forEach((k, t) -> types.put(k, t.id()));
    root.set("attributes", toManifestJson(schema));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses a {@code stats.json}.
   *
   * @throws IOException naming {@code source} when the file is not valid statistics
   */
  public static SegmentStats fromFile(byte[] bytes, String source) throws IOException {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new IllegalArgumentException(
            "not a statistics file (no \"format\": \"" + FORMAT + "\")");
      }
      int v = root.path("format_version").asInt(-1);
      if (v != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "format_version " + v + " is not supported (this build reads " + FORMAT_VERSION + ")");
      }
      Map<String, AttributeType> types = new LinkedHashMap<>();
      root.path("types")
          .properties()
          .forEach(e -> types.put(e.getKey(), AttributeType.parse(e.getValue().asText())));
      return fromManifestJson(
          root.path("rows").asLong(), root.path("attributes"), Schema.of(types));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }
}
