package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.npywrapper.security.Security;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused authentications over HTTP reach the audit log: no Authorization header, a header of
 * another scheme, and a key with a wrong secret, each with the reason, the route's collection and
 * the request's method, path and remote address, read back through {@code GET /v1/audit}.
 */
class AuthAuditTest {
  private static final String SECRET = "S3cr3t".repeat(7) + "A";

  @TempDir Path dir;

  @Test
  void missingMalformedAndWrongKeysAreAuditedWithRouteAndAddress() throws Exception {
    try (TestServer s = new TestServer(dir);
        HttpClient client = HttpClient.newHttpClient()) {
      String adminId = s.adminToken().split("_")[1];
      assertEquals(401, send(client, s, "POST", "/v1/collections/docs/search", null));
      assertEquals(401, send(client, s, "GET", "/v1/collections", "Basic dXNlcjpwYXNz"));
      assertEquals(
          401,
          send(client, s, "GET", "/v1/collections/logs", "Bearer npyw_" + adminId + "_" + SECRET));

      TestServer.Reply audit = s.get("/v1/audit?limit=1000");
      assertEquals(200, audit.status(), audit.body());
      List<JsonNode> denied = new ArrayList<>();
      for (JsonNode e : audit.json().path("events")) {
        if (e.path("action").asText().equals("authenticate")) {
          denied.add(e);
        }
      }
      assertEquals(3, denied.size(), audit.body());
      for (JsonNode e : denied) {
        assertEquals("denied", e.path("outcome").asText());
        assertTrue(e.path("detail").asText().contains(" from 127.0.0.1:"), e.toString());
        assertFalse(e.toString().contains(SECRET.substring(3, 30)), "secret in " + e);
      }
      JsonNode noKey = denied.get(0);
      assertEquals(Security.ANONYMOUS, noKey.path("principal").asText());
      assertEquals("docs", noKey.path("collection").asText());
      assertTrue(
          noKey
              .path("detail")
              .asText()
              .startsWith(
                  "missing Authorization header: send 'Authorization: Bearer <api key>'"
                      + " (POST /v1/collections/docs/search from 127.0.0.1:"),
          noKey.toString());
      JsonNode basic = denied.get(1);
      assertEquals(Security.ANONYMOUS, basic.path("principal").asText());
      assertTrue(basic.path("collection").isNull(), basic.toString());
      assertTrue(
          basic.path("detail").asText().contains("must be 'Bearer <api key>' (GET /v1/collections"),
          basic.toString());
      JsonNode wrong = denied.get(2);
      assertEquals("key:" + adminId, wrong.path("principal").asText());
      assertEquals("logs", wrong.path("collection").asText());
      assertTrue(
          wrong.path("detail").asText().startsWith("wrong secret for API key " + adminId),
          wrong.toString());
    }
  }

  private static int send(HttpClient client, TestServer s, String method, String path, String auth)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.server.uri() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
