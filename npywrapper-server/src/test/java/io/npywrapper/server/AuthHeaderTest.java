package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Missing and malformed Authorization headers get a 401 with {@code WWW-Authenticate: Bearer} and a
 * message saying what is wrong, never echoing the secret; /healthz needs no key.
 */
class AuthHeaderTest {
  private static final String SECRET = "S3cr3t".repeat(7) + "A";

  @TempDir Path dir;

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(null, "missing Authorization header"),
        Arguments.of("Basic dXNlcjpwYXNz", "must be 'Bearer <api key>'"),
        Arguments.of("Bearer", "must be 'Bearer <api key>'"),
        Arguments.of("Bearer hello", "malformed API key"),
        Arguments.of("Bearer npyw_0123456789abcdef_" + SECRET, "unknown API key 0123456789abcdef"),
        Arguments.of("Bearer npyw_0123456789abcdef_" + SECRET.substring(1), "malformed API key"));
  }

  @ParameterizedTest
  @MethodSource("headers")
  void refusedWith401(String header, String fragment) throws Exception {
    try (TestServer s = new TestServer(dir);
        HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(s.server.uri() + "/v1/collections"));
      if (header != null) {
        b.header("Authorization", header);
      }
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, r.statusCode(), r.body());
      assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
      String message = TestServer.JSON.readTree(r.body()).at("/error/message").asText();
      assertTrue(message.contains(fragment), message);
      assertFalse(r.body().contains(SECRET.substring(5, 30)), "the secret was echoed: " + r.body());
    }
  }

  @Test
  void healthzNeedsNoKeyAndTheAdminKeyWorks() throws Exception {
    try (TestServer s = new TestServer(dir);
        TestServer.Client anonymous = s.as(null)) {
      assertEquals(200, anonymous.get("/healthz").status());
      assertEquals(401, anonymous.get("/metrics").status());
      TestServer.Reply ok = s.get("/v1/collections");
      assertEquals(200, ok.status(), ok.body());
    }
  }
}
