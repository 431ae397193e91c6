package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PUT /v1/collections/{c}/properties} sets and removes in one commit: the version count
 * grows by exactly one, a bad key anywhere commits nothing, an empty object commits nothing.
 */
class PropertiesHttpTest {
  @TempDir Path dir;

  @Test
  void setAndRemoveAreOneCommit() throws Exception {
    try (TestServer s = new TestServer(dir)) {
      TestServer.Reply created =
          s.post(
              "/v1/collections",
              """
              {"name":"docs","dim":2,"properties":{"team":"search","old":"x","stale":"y"}}""");
      assertEquals(201, created.status(), created.body());
      int before = versions(s).size();

      TestServer.Reply put =
          s.call(
              "PUT",
              "/v1/collections/docs/properties",
              "{\"owner\":\"ann\",\"team\":\"vectors\",\"old\":null,\"stale\":null}");
      assertEquals(200, put.status(), put.body());
      assertEquals(
          TestServer.JSON.readTree("{\"owner\":\"ann\",\"team\":\"vectors\"}"),
          put.json().get("properties"));
      JsonNode after = versions(s);
      assertEquals(before + 1, after.size(), after.toString());
      assertEquals("set_properties", after.get(after.size() - 1).get("operation").asText());
      assertEquals(
          put.json().get("properties"),
          s.get("/v1/collections/docs/properties").json().get("properties"));

      // a bad key among the removals: nothing is committed, not even the valid set
      TestServer.Reply bad =
          s.call("PUT", "/v1/collections/docs/properties", "{\"more\":\"v\",\"bad key\":null}");
      assertEquals(400, bad.status(), bad.body());
      assertEquals("bad_request", bad.code());
      assertEquals(before + 1, versions(s).size());
      assertEquals(
          put.json().get("properties"),
          s.get("/v1/collections/docs/properties").json().get("properties"));

      TestServer.Reply empty = s.call("PUT", "/v1/collections/docs/properties", "{}");
      assertEquals(200, empty.status(), empty.body());
      assertEquals(put.json().get("properties"), empty.json().get("properties"));
      assertEquals(before + 1, versions(s).size());
    }
  }

  private static JsonNode versions(TestServer s) throws Exception {
    TestServer.Reply r = s.get("/v1/collections/docs/versions");
    assertEquals(200, r.status(), r.body());
    return r.json().get("versions");
  }
}
