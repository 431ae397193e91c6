package io.npywrapper.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of one audit object (docs/FORMAT.md, "Audit log"): one JSON object per line, one
 * per event, then a footer line {@code {"end":"npywrapper-audit","format_version":1,"events":N,
 * "crc32c":"<8 hex digits>"}} whose CRC32C covers every byte before the footer. An object without a
 * valid footer is rejected whole. Stateless and thread-safe.
 */
final class AuditFormat {
  static final String END = "npywrapper-audit";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditFormat() {}

  static byte[] write(List<AuditEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (AuditEvent e : events) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", e.time().toString());
        n.put("principal", e.principal());
        n.put("action", e.action());
        if (e.collection() == null) {
          n.putNull("collection");
        } else {
          n.put("collection", e.collection());
        }
        n.put("outcome", e.outcome());
        n.put("detail", e.detail());
        out.write(JSON.writeValueAsBytes(n));
        out.write('\n');
      }
      CRC32C crc = new CRC32C();
      crc.update(out.toByteArray());
      ObjectNode footer = JSON.createObjectNode();
      footer.put("end", END);
      footer.put("format_version", FORMAT_VERSION);
      footer.put("events", events.size());
      footer.put("crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
      out.write(JSON.writeValueAsBytes(footer));
      out.write('\n');
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
    return out.toByteArray();
  }

  /**
   * Reads an audit object.
   *
   * @param source its name, for messages
   * @throws SecurityFormatException naming the source, and the line where there is one, when the
   *     footer is missing or wrong (a torn or truncated object) or a line is malformed
   */
  static List<AuditEvent> read(byte[] data, String source) {
    int end = data.length;
    if (end == 0 || data[end - 1] != '\n') {
      throw new SecurityFormatException(source, "truncated: does not end with a footer line");
    }
    int footerStart = end - 1;
    while (footerStart > 0 && data[footerStart - 1] != '\n') {
      footerStart--;
    }
    JsonNode footer;
    try {
      footer =
          JSON.readTree(new String(data, footerStart, end - footerStart, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SecurityFormatException(source, "truncated: the last line is not a footer");
    }
    if (footer == null || !END.equals(footer.path("end").asText())) {
      throw new SecurityFormatException(source, "truncated: the last line is not a footer");
    }
    if (footer.path("format_version").asInt(-1) != FORMAT_VERSION) {
      throw new SecurityFormatException(
          source,
          "format_version "
              + footer.path("format_version")
              + " is not supported; this build reads "
              + FORMAT_VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, footerStart);
    String expected = HexFormat.of().toHexDigits((int) crc.getValue());
    if (!expected.equals(footer.path("crc32c").asText())) {
      throw new SecurityFormatException(
          source,
          "checksum mismatch: footer says crc32c "
              + footer.path("crc32c").asText()
              + ", content has "
              + expected);
    }
    String body = new String(data, 0, footerStart, StandardCharsets.UTF_8);
    List<AuditEvent> events = new ArrayList<>();
    int line = 0;
    for (String text : body.split("\n", -1)) {
      line++;
      if (text.isEmpty()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(text);
        JsonNode coll = n.path("collection");
        events.add(
            new AuditEvent(
                Instant.parse(n.path("time").asText()),
                n.path("principal").asText(),
                n.path("action").asText(),
                coll.isTextual() ? coll.asText() : null,
                n.path("outcome").asText(),
                n.path("detail").asText()));
      } catch (IOException | RuntimeException e) {
        throw new SecurityFormatException(source, "line " + line + ": not an audit event");
      }
    }
    if (events.size() != footer.path("events").asInt(-1)) {
      throw new SecurityFormatException(
          source, "footer counts " + footer.path("events") + " events, found " + events.size());
    }
    return events;
  }
}
