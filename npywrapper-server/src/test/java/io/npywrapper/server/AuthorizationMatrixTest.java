package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.search.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint against every kind of caller, over HTTP against the running server: the admin, the
 * built-in reader and writer roles, a role granting write on one collection only, a user with no
 * grant, and requests with no key, a real key id with a wrong secret, a revoked key and an expired
 * key (the last two of admin users). Allowed calls never get 401/403; denied calls get 401 (no
 * valid key) or 403 (valid key, no permission) with a JSON error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
  /** What an endpoint requires. */
  enum Need {
    PUBLIC,
    AUTHENTICATED,
    READ,
    WRITE,
    ADMIN,
    SECURITY_ADMIN
  }

  /** A caller: its token (null for none) and what it may do. */
  enum Caller {
    ADMIN,
    READER,
    WRITER,
    DOCS_WRITER,
    NO_GRANT,
    NO_KEY,
    WRONG_KEY,
    REVOKED,
    EXPIRED;

    boolean authenticated() {
      return ordinal() <= NO_GRANT.ordinal();
    }

    boolean allowed(Need need, String collection) {
      return switch (need) {
        case PUBLIC -> true;
        case AUTHENTICATED -> authenticated();
        case SECURITY_ADMIN -> this == ADMIN;
        case READ -> this == ADMIN || this == READER || this == WRITER || docs(collection);
        case WRITE -> this == ADMIN || this == WRITER || docs(collection);
        case ADMIN -> this == ADMIN;
      };
    }

    private boolean docs(String collection) {
      return this == DOCS_WRITER && "docs".equals(collection);
    }
  }

  record Endpoint(Need need, String collection, String method, String path, String body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @TempDir static Path dir;
  private TestServer s;
  private final Map<Caller, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  void start() throws Exception {
    s = new TestServer(dir);
    TestServer.Client admin = s.as(s.adminToken());
    tokens.put(Caller.ADMIN, s.adminToken());
    ensureFixtures();
    tokens.put(Caller.READER, userKey(admin, "rita", "reader", null));
    tokens.put(Caller.WRITER, userKey(admin, "walt", "writer", null));
    assertEquals(
        200,
        admin
            .call(
                "PUT",
                "/v1/roles/docs_writer",
                "{\"grants\":[{\"collection\":\"docs\",\"permission\":\"write\"}]}")
            .status());
    tokens.put(Caller.DOCS_WRITER, userKey(admin, "gina", "docs_writer", null));
    assertEquals(201, admin.post("/v1/users", "{\"name\":\"nora\",\"roles\":[]}").status());
    tokens.put(Caller.NO_GRANT, key(admin, "nora", null));
    tokens.put(Caller.NO_KEY, null);
    // the reader's real key id with another secret
    String reader = tokens.get(Caller.READER);
    tokens.put(Caller.WRONG_KEY, reader.substring(0, reader.length() - 43) + "A".repeat(43));
    String revoked = userKey(admin, "rex", "admin", null);
    String revokedId = admin.get("/v1/keys?user=rex").json().at("/keys/0/id").asText();
    assertEquals(200, admin.call("DELETE", "/v1/keys/" + revokedId, null).status());
    tokens.put(Caller.REVOKED, revoked);
    tokens.put(Caller.EXPIRED, userKey(admin, "eve", "admin", 1));
    Thread.sleep(1100); // eve's key lives one second
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  private static String userKey(TestServer.Client admin, String user, String role, Integer ttl)
      throws Exception {
    TestServer.Reply u =
        admin.post("/v1/users", "{\"name\":\"" + user + "\",\"roles\":[\"" + role + "\"]}");
    assertEquals(201, u.status(), u.body());
    return key(admin, user, ttl);
  }

  private static String key(TestServer.Client admin, String user, Integer ttl) throws Exception {
    TestServer.Reply k =
        admin.post(
            "/v1/keys",
            "{\"user\":\"" + user + "\"" + (ttl == null ? "" : ",\"ttl_seconds\":" + ttl) + "}");
    assertEquals(201, k.status(), k.body());
    return k.json().get("token").asText();
  }

  /** "docs" and "other" exist with a row each (an allowed drop in an earlier case removes one). */
  private void ensureFixtures() throws Exception {
    for (String name : List.of("docs", "other")) {
      if (!s.db.exists(name)) {
        s.db.create(CollectionSpec.of(name, 2, Metric.L2)).add(new float[][] {{0, 1}}, 1);
      }
    }
  }

  static List<Endpoint> endpoints() {
    List<Endpoint> e = new ArrayList<>();
    e.add(new Endpoint(Need.PUBLIC, null, "GET", "/healthz", null));
    e.add(new Endpoint(Need.AUTHENTICATED, null, "GET", "/metrics", null));
    e.add(new Endpoint(Need.AUTHENTICATED, null, "GET", "/openapi.json", null));
    e.add(new Endpoint(Need.AUTHENTICATED, null, "GET", "/v1/collections", null));
    for (String c : List.of("docs", "other")) {
      String p = "/v1/collections/" + c;
      e.add(
          new Endpoint(
              Need.ADMIN, c, "POST", "/v1/collections", "{\"name\":\"" + c + "\",\"dim\":2}"));
      e.add(new Endpoint(Need.READ, c, "GET", p, null));
      e.add(new Endpoint(Need.READ, c, "GET", p + "/properties", null));
      e.add(new Endpoint(Need.WRITE, c, "PUT", p + "/properties", "{\"k\":\"v\"}"));
      e.add(
          new Endpoint(
              Need.WRITE, c, "POST", p + "/rows?mode=upsert", "{\"ids\":[7],\"vectors\":[[1,1]]}"));
      e.add(new Endpoint(Need.READ, c, "GET", p + "/rows/1", null));
      e.add(new Endpoint(Need.WRITE, c, "POST", p + "/delete", "{\"ids\":[7]}"));
      e.add(new Endpoint(Need.READ, c, "POST", p + "/search", "{\"vector\":[0,0],\"k\":1}"));
      e.add(new Endpoint(Need.READ, c, "POST", p + "/query", "{\"limit\":1}"));
      e.add(new Endpoint(Need.READ, c, "GET", p + "/versions", null));
      e.add(new Endpoint(Need.WRITE, c, "POST", p + "/compact", null));
      e.add(new Endpoint(Need.ADMIN, c, "DELETE", p, null));
    }
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "GET", "/v1/users", null));
    e.add(
        new Endpoint(
            Need.SECURITY_ADMIN, null, "POST", "/v1/users", "{\"name\":\"zed\",\"roles\":[]}"));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "PUT", "/v1/users/ghost", "{\"roles\":[]}"));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "DELETE", "/v1/users/ghost", null));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "GET", "/v1/roles", null));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "PUT", "/v1/roles/matrix", "{\"grants\":[]}"));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "DELETE", "/v1/roles/ghost", null));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "GET", "/v1/keys", null));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "POST", "/v1/keys", "{\"user\":\"nora\"}"));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "DELETE", "/v1/keys/ghost", null));
    e.add(new Endpoint(Need.SECURITY_ADMIN, null, "GET", "/v1/audit", null));
    return e;
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      for (Caller c : Caller.values()) {
        out.add(Arguments.of(e, c));
      }
    }
    return out.stream();
  }

  @Test
  void denialsAreAudited() throws Exception {
    try (TestServer.Client nora = s.as(tokens.get(Caller.NO_GRANT));
        TestServer.Client nobody = s.as(tokens.get(Caller.WRONG_KEY))) {
      assertEquals(403, nora.get("/v1/collections/docs/versions").status());
      assertEquals(401, nobody.get("/v1/collections").status());
    }
    TestServer.Reply audit = s.get("/v1/audit?limit=10000");
    assertEquals(200, audit.status(), audit.body());
    boolean forbidden = false;
    boolean unauthenticated = false;
    for (var e : audit.json().get("events")) {
      if (e.get("outcome").asText().equals("denied")) {
        forbidden |=
            e.get("principal").asText().equals("nora")
                && "docs".equals(e.path("collection").asText());
        unauthenticated |= e.get("action").asText().equals("authenticate");
      }
    }
    assertTrue(forbidden, "no audited denial for nora on docs: " + audit.body());
    assertTrue(unauthenticated, "no audited failed authentication: " + audit.body());
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("cases")
  void allowedOrDenied(Endpoint e, Caller caller) throws Exception {
    ensureFixtures();
    try (TestServer.Client client = s.as(tokens.get(caller))) {
      TestServer.Reply r = client.call(e.method(), e.path(), e.body());
      if (caller.allowed(e.need(), e.collection())) {
        assertTrue(
            r.status() != 401 && r.status() != 403 && r.status() < 500,
            caller + " should be allowed " + e + ": " + r.status() + " " + r.body());
      } else {
        int expected = caller.authenticated() ? 403 : 401;
        assertEquals(expected, r.status(), caller + " on " + e + ": " + r.body());
        assertEquals(expected == 401 ? "unauthorized" : "forbidden", r.code(), r.body());
      }
    }
  }
}
