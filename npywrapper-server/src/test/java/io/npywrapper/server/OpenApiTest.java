package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document describes exactly the routes the server answers. */
class OpenApiTest {
  private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "delete", "patch");

  @TempDir Path dir;

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws Exception {
    JsonNode doc = TestServer.JSON.readTree(SystemApi.openapiDocument());
    assertEquals("3.1.0", doc.get("openapi").asText());
    Set<String> documented = new TreeSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        m -> {
                          if (HTTP_METHODS.contains(m)) {
                            documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                          }
                        }));
    Set<String> routed = new TreeSet<>();
    for (Route r : NpywServer.routes(null, null, Limits.DEFAULT, new HttpMetrics()).routes()) {
      routed.add(r.method() + " " + r.template());
    }
    Set<String> undocumented = new TreeSet<>(routed);
    undocumented.removeAll(documented);
    assertTrue(undocumented.isEmpty(), "routes missing from openapi.json: " + undocumented);
    Set<String> unrouted = new TreeSet<>(documented);
    unrouted.removeAll(routed);
    assertTrue(unrouted.isEmpty(), "openapi.json documents operations not routed: " + unrouted);
  }

  @Test
  void servedDocumentIsTheResource() throws Exception {
    try (TestServer s = new TestServer(dir)) {
      TestServer.Reply r = s.get("/openapi.json");
      assertEquals(200, r.status());
      assertEquals(TestServer.JSON.readTree(SystemApi.openapiDocument()), r.json());
    }
  }
}
