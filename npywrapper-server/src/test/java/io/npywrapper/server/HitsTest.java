package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.query.Hit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The answers of searches and queries, written hit by hit, as the server's mapper writes them. */
class HitsTest {
  private static final Instant T = Instant.parse("2026-11-26T08:30:00.123Z");

  private static Map<String, Object> attrs() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("color", "red \"quoted\" \u00e9");
    a.put("price", 12.5);
    a.put("count", 7L);
    a.put("ok", true);
    a.put("missing", null);
    a.put("tags", List.of("a", "b"));
    a.put("at", T);
    a.put("huge", Double.POSITIVE_INFINITY);
    a.put("small", 5); // not a type the engine returns: written by the mapper
    return a;
  }

  private static List<Hit> hits() {
    return List.of(
        new Hit(42L, 0.010000001f, attrs(), new float[] {1f, -0.5f, 3.4028235e38f}),
        new Hit("doc-7", 1.5f, Map.of(), null),
        new Hit(-3L, Float.MIN_VALUE, null, null));
  }

  /** What the answer was before it was streamed: a map per hit, serialized by the mapper. */
  private static Map<String, Object> asMap(Hit h, boolean distances) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", h.id());
    if (distances) {
      m.put("distance", h.distance());
    }
    if (h.attributes() != null) {
      h.attributes().forEach((k, v) -> m.put(k, v instanceof Instant i ? i.toString() : v));
    }
    if (h.vector() != null) {
      m.put("vector", h.vector());
    }
    return m;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void searchAnswerIsWhatTheMapperWritesForTheSameHits() {
    List<List<Hit>> lists = List.of(hits(), List.of(), hits().subList(1, 2));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("version", 9L);
    expected.put(
        "results", lists.stream().map(l -> l.stream().map(h -> asMap(h, true)).toList()).toList());
    assertEquals(text(Json.write(expected)), text(Hits.searchAnswer(9, lists)));
  }

  @Test
  void queryAnswerHasNoDistances() throws Exception {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("version", 3L);
    expected.put("rows", hits().stream().map(h -> asMap(h, false)).toList());
    String written = text(Hits.queryAnswer(3, hits()));
    assertEquals(text(Json.write(expected)), written);
    assertEquals(
        "{\"id\":\"doc-7\"}",
        written.substring(
            written.indexOf("{\"id\":\"doc-7\""), written.indexOf("},{\"id\":-3") + 1));
    assertEquals(
        "2026-11-26T08:30:00.123Z",
        Json.MAPPER.readTree(written).get("rows").get(0).get("at").asText());
  }
}
