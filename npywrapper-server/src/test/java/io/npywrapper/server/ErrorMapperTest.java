package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.npywrapper.collection.CommitConflictException;
import io.npywrapper.security.AccessDeniedException;
import io.npywrapper.security.AuthenticationException;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Which exception becomes which status and code; a server fault never leaks its details. */
class ErrorMapperTest {
  private final ErrorMapper mapper = new ErrorMapper();

  private JsonNode error(Response r) throws Exception {
    assertEquals(Response.JSON, r.contentType());
    return TestServer.JSON.readTree(r.body()).get("error");
  }

  @Test
  void clientErrorsKeepTheirMessage() throws Exception {
    Object[][] cases = {
      {new IllegalArgumentException("bad k"), 400, "bad_request"},
      {new NoSuchElementException("no collection 'x'"), 404, "not_found"},
      {new CommitConflictException("dropped meanwhile"), 409, "conflict"},
      {new AccessDeniedException("user 'a' lacks read"), 403, "forbidden"},
      {new AuthenticationException("API key 1 was revoked"), 401, "unauthorized"},
      {ApiException.tooLarge("k is 99"), 413, "too_large"},
    };
    for (Object[] c : cases) {
      Throwable t = (Throwable) c[0];
      Response r = mapper.map(t, "POST", "/v1/x");
      assertEquals(c[1], r.status(), t.toString());
      assertEquals(c[2], error(r).get("code").asText());
      assertEquals(t.getMessage(), error(r).get("message").asText());
    }
  }

  @Test
  void unexpectedFailuresAreA500WithoutDetails() throws Exception {
    Response r = mapper.map(new NullPointerException("internal field secretValue"), "GET", "/v1/y");
    assertEquals(500, r.status());
    JsonNode e = error(r);
    assertEquals("internal", e.get("code").asText());
    assertTrue(e.get("message").asText().startsWith("internal error (incident 1"), e.toString());
    assertFalse(e.toString().contains("secretValue"), e.toString());
    assertTrue(
        error(mapper.map(new IllegalStateException("x"), "GET", "/"))
            .get("message")
            .asText()
            .contains("incident 2"));
  }
}
