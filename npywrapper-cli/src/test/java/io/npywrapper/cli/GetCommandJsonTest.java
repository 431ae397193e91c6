package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npywrapper.collection.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GetCommandJsonTest {
  @Test
  void timestampsAndTagListsAreValidJson() {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("t", Instant.parse("2024-05-01T12:00:00.5Z"));
    attrs.put("tags", List.of("a", "\"b\""));
    attrs.put("empty", List.of());
    attrs.put("none", null);
    attrs.put("n", 3L);
    assertEquals(
        "{\"id\":7,\"vector\":[1.0],\"attributes\":{\"t\":\"2024-05-01T12:00:00.500Z\","
            + "\"tags\":[\"a\",\"\\\"b\\\"\"],\"empty\":[],\"none\":null,\"n\":3}}",
        GetCommand.toJson(new Row(7L, new float[] {1}, attrs)));
  }
}
