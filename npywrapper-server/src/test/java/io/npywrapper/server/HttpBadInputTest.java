package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request gets a 4xx with a JSON error naming the problem, and leaves the
 * collection exactly as it was (same version, same rows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBadInputTest {
  private static final String T = "/v1/collections/t";
  private static final String JSON = "application/json";
  private static final String NPY = "application/x-npy";

  @TempDir static Path dir;
  private TestServer s;

  @BeforeAll
  void start() throws Exception {
    s =
        new TestServer(
            dir, Limits.DEFAULT.withMaxBodyBytes(64 * 1024).withMaxBatch(100).withMaxK(50));
    assertEquals(
        201,
        s.post(
                "/v1/collections",
                "{\"name\":\"t\",\"dim\":3,\"schema\":{\"color\":\"string\",\"price\":\"float64\"}}")
            .status());
    assertEquals(
        200,
        s.post(
                T + "/rows",
                "{\"ids\":[1,2],\"vectors\":[[0,0,0],[1,1,1]],"
                    + "\"attributes\":[{\"color\":\"red\"},{\"color\":\"blue\"}]}")
            .status());
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  static Stream<Arguments> cases() {
    String hundredOne = vectors(101);
    return Stream.of(
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\": [[1,2,3]",
            400,
            "malformed_json",
            "line 1, column"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,2,3]]} x",
            400,
            "malformed_json",
            "malformed JSON"),
        c("POST", T + "/rows", JSON, "[1,2]", 400, "malformed_json", "must be a JSON object"),
        c("POST", T + "/rows", JSON, "", 400, "malformed_json", "JSON object body"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,2]]}",
            400,
            "wrong_dimension",
            "'vectors[0]' has 2 values"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,NaN,3]]}",
            400,
            "non_finite_value",
            "'vectors[0][1]' is NaN"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,2,3],[1,2,1e39]]}",
            400,
            "non_finite_value",
            "beyond float32"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,2,\"x\"]]}",
            400,
            "bad_request",
            "'vectors[0][2]' must be a number"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectorz\":[[1,2,3]]}",
            400,
            "bad_request",
            "unknown field 'vectorz'"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[5,5],\"vectors\":[[1,2,3],[1,2,3]]}",
            400,
            "bad_request",
            "duplicate id 5"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[3,1],\"vectors\":[[1,2,3],[1,2,3]]}",
            400,
            "bad_request",
            "already exists"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[\"a\"],\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "int64"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[7],\"vectors\":[[1,2,3]],\"attributes\":[{\"colour\":\"x\"}]}",
            400,
            "bad_request",
            "colour"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[7],\"vectors\":[[1,2,3]],\"attributes\":[{\"price\":\"cheap\"}]}",
            400,
            "bad_request",
            "price"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[7,8],\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "2 ids for 1 vectors"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,2,3]],\"attributes\":[{},{}]}",
            400,
            "bad_request",
            "2 attribute rows"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":" + hundredOne + "}",
            413,
            "too_large",
            "at most 100"),
        c(
            "POST",
            T + "/rows?mode=upsert",
            JSON,
            "{\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "upsert needs ids"),
        c(
            "POST",
            T + "/rows?mode=merge",
            JSON,
            "{\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "add or upsert"),
        c(
            "POST",
            T + "/rows?idz=1",
            JSON,
            "{\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "unknown query parameter 'idz'"),
        c(
            "POST",
            T + "/rows",
            "text/plain",
            "{\"vectors\":[[1,2,3]]}",
            415,
            "unsupported_media_type",
            "text/plain"),
        c("POST", T + "/rows", NPY, "not an npy file at all", 400, "invalid_npy", "bad magic"),
        npy(
            T + "/rows",
            NpyBodies.float32(new float[][] {{1, 2}}),
            400,
            "wrong_dimension",
            "dimension 2"),
        npy(
            T + "/rows?ids=9",
            NpyBodies.float32(new float[][] {{1, Float.NaN, 2}}),
            400,
            "bad_request",
            "NaN"),
        npy(
            T + "/rows?ids=9,10",
            NpyBodies.float32(new float[][] {{1, 2, 3}}),
            400,
            "bad_request",
            "2 ids for 1"),
        npy(
            T + "/rows?ids=x",
            NpyBodies.float32(new float[][] {{1, 2, 3}}),
            400,
            "bad_request",
            "'x' is not an int64"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2]}",
            400,
            "wrong_dimension",
            "'vector' has 2 values"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,Infinity,2]}",
            400,
            "non_finite_value",
            "'vector[1]' is Infinity"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"k\":51}",
            413,
            "too_large",
            "at most 50"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"k\":0}",
            400,
            "bad_request",
            "'k' must be at least 1"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"k\":\"ten\"}",
            400,
            "bad_request",
            "'k' must be an integer"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vectors\":" + hundredOne + "}",
            413,
            "too_large",
            "'vectors'"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "exactly one of"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"filter\":\"price >\"}",
            400,
            "invalid_filter",
            "column 8"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"filter\":\"size = 1\"}",
            400,
            "invalid_filter",
            "size"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"select\":[\"weight\"]}",
            400,
            "bad_request",
            "unknown attribute 'weight'"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"version\":999}",
            404,
            "not_found",
            "999"),
        c("POST", T + "/search", JSON, "{\"vector\":[1,2,3],\"ef\":0}", 400, "bad_request", "'ef'"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"rerank\":0}",
            400,
            "bad_request",
            "'rerank' must be between 1 and"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"k\":5,\"offset\":2,\"rerank\":6}",
            400,
            "bad_request",
            "'rerank' must be at least k + offset = 7, got 6"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"rerank\":\"deep\"}",
            400,
            "bad_request",
            "'rerank'"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"rerank\":20,\"exact\":true}",
            400,
            "bad_request",
            "not both"),
        c(
            "POST",
            T + "/query",
            JSON,
            "{\"order_by\":\"price sideways\"}",
            400,
            "bad_request",
            "asc or desc"),
        c("POST", T + "/query", JSON, "{\"limit\":51}", 413, "too_large", "'limit'"),
        c(
            "POST",
            T + "/delete",
            JSON,
            "{\"filter\":\"color = \"}",
            400,
            "invalid_filter",
            "filter syntax error"),
        c(
            "POST",
            T + "/delete",
            JSON,
            "{\"ids\":[1],\"filter\":\"color = 'red'\"}",
            400,
            "bad_request",
            "exactly one"),
        c(
            "POST",
            T + "/delete",
            JSON,
            "{\"ids\":" + ids(101) + "}",
            413,
            "too_large",
            "at most 100"),
        c("GET", T + "/rows/abc", null, null, 400, "bad_request", "'abc' is not an int64"),
        c("GET", T + "/rows/77", null, null, 404, "not_found", "no row with id 77"),
        c(
            "POST",
            "/v1/collections/nope/search",
            JSON,
            "{\"vector\":[1,2,3]}",
            404,
            "not_found",
            "nope"),
        c(
            "GET",
            "/v1/collections/..%2F..%2Fetc",
            null,
            null,
            400,
            "bad_request",
            "invalid collection name '../../etc'"),
        c(
            "POST",
            "/v1/collections/%2e%2e/rows",
            JSON,
            "{\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "invalid collection name '..'"),
        c(
            "DELETE",
            "/v1/collections/a%2Fb",
            null,
            null,
            400,
            "bad_request",
            "invalid collection name 'a/b'"),
        c(
            "POST",
            "/v1/collections",
            JSON,
            "{\"name\":\"../x\",\"dim\":3}",
            400,
            "bad_request",
            "invalid collection name"),
        c(
            "POST",
            "/v1/collections",
            JSON,
            "{\"name\":\"t\",\"dim\":3}",
            409,
            "already_exists",
            "'t' already exists"),
        c(
            "POST",
            "/v1/collections",
            JSON,
            "{\"name\":\"u\",\"dim\":0}",
            400,
            "bad_request",
            "'dim' must be between 1"),
        c(
            "POST",
            "/v1/collections",
            JSON,
            "{\"name\":\"u\",\"dim\":3,\"metric\":\"manhattan\"}",
            400,
            "bad_request",
            "unknown metric"),
        c(
            "POST",
            "/v1/collections",
            JSON,
            "{\"name\":\"u\",\"dim\":3,\"schema\":{\"a\":\"decimal\"}}",
            400,
            "bad_request",
            "unknown attribute type"),
        c("PUT", T + "/properties", JSON, "{\"bad key\":\"v\"}", 400, "bad_request", "bad key"),
        c("GET", "/v1/nothing", null, null, 404, "not_found", "no such endpoint"),
        c("POST", T + "/rows", JSON, "{\"vectors\":[]}", 400, "bad_request", "'vectors' is empty"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"vectors\":[[1,2,3]],\"vectors\":[[1,2,3]]}",
            400,
            "malformed_json",
            "Duplicate field 'vectors'"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "[".repeat(5000) + "]".repeat(5000),
            400,
            "malformed_json",
            "nesting depth"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[1.5],\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "'ids[0]' must be an int64"),
        c(
            "POST",
            T + "/rows",
            JSON,
            "{\"ids\":[99999999999999999999],\"vectors\":[[1,2,3]]}",
            400,
            "bad_request",
            "'ids[0]'"),
        npy(
            T + "/rows",
            new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 10, 0},
            400,
            "invalid_npy",
            "request body"),
        npy(T + "/rows", NpyBodies.empty(3), 400, "bad_request", "no rows"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"version\":0}",
            400,
            "bad_request",
            "version must be at least 1"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"k\":99999999999999999999}",
            400,
            "bad_request",
            "'k' must be an integer"),
        c(
            "POST",
            T + "/search",
            JSON,
            "{\"vector\":[1,2,3],\"k\":2.5}",
            400,
            "bad_request",
            "'k' must be an integer"),
        c("PUT", T + "/search", JSON, "{}", 405, "method_not_allowed", "allowed: POST"));
  }

  private static Arguments c(
      String method,
      String path,
      String type,
      String body,
      int status,
      String code,
      String fragment) {
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    return Arguments.of(method + " " + path, method, path, type, bytes, status, code, fragment);
  }

  private static Arguments npy(String path, byte[] body, int status, String code, String fragment) {
    return Arguments.of("POST npy " + path, "POST", path, NPY, body, status, code, fragment);
  }

  private static String vectors(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("[1,2,3]");
    }
    return sb.append(']').toString();
  }

  private static String ids(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(i + 100);
    }
    return sb.append(']').toString();
  }

  @ParameterizedTest(name = "{0} -> {5}")
  @MethodSource("cases")
  void refusedWithoutChange(
      String name,
      String method,
      String path,
      String type,
      byte[] body,
      int status,
      String code,
      String fragment)
      throws Exception {
    JsonNode before = s.get(T).json();
    TestServer.Reply r =
        s.send(
            method,
            path,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body),
            type);
    assertEquals(status, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    assertEquals(code, r.code(), r.body());
    assertTrue(
        r.message().contains(fragment), "message '" + r.message() + "' lacks '" + fragment + "'");
    JsonNode after = s.get(T).json();
    assertEquals(before.get("version"), after.get("version"), "a refused request committed");
    assertEquals(2, after.get("rows").asLong());
    assertEquals(before.get("properties"), after.get("properties"));
    assertEquals(
        2,
        s.post(T + "/query", "{\"limit\":50}").json().get("rows").size(),
        "a refused request changed the rows");
  }
}
