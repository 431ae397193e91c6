package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches with a binary {@code .npy} body and the options in the query string answer exactly as
 * the same searches in JSON, and bad bodies or options get a 400 naming the problem.
 */
class NpySearchHttpTest {
  private static final String NPY = "application/x-npy";

  @TempDir Path dir;

  private static TestServer.Reply npySearch(TestServer s, String query, byte[] body)
      throws Exception {
    return s.send(
        "POST",
        "/v1/collections/t/search" + query,
        HttpRequest.BodyPublishers.ofByteArray(body),
        NPY);
  }

  @Test
  void npyBodiesAnswerLikeJson() throws Exception {
    try (TestServer s = new TestServer(dir)) {
      assertEquals(
          201,
          s.post("/v1/collections", "{\"name\":\"t\",\"dim\":3,\"schema\":{\"c\":\"string\"}}")
              .status());
      assertEquals(
          200,
          s.post(
                  "/v1/collections/t/rows",
                  """
                  {"ids":[1,2,3,4],"vectors":[[0,0,0],[1,0,0],[0,2,0],[3,3,3]],
                   "attributes":[{"c":"a"},{"c":"b"},{"c":"a"},{"c":"b"}]}""")
              .status());

      TestServer.Reply json =
          s.post(
              "/v1/collections/t/search",
              "{\"vector\":[0.9,0,0],\"k\":2,\"filter\":\"c = 'a'\",\"select\":[\"c\"],"
                  + "\"exact\":true}");
      TestServer.Reply bin =
          npySearch(
              s,
              "?k=2&filter=c%20%3D%20'a'&select=c&exact=true",
              NpyBodies.float32(new float[] {0.9f, 0, 0}));
      assertEquals(200, bin.status(), bin.body());
      assertEquals(json.json().get("results"), bin.json().get("results"));

      TestServer.Reply jsonBatch =
          s.post("/v1/collections/t/search", "{\"vectors\":[[0,0,0],[3,3,2]],\"k\":3}");
      TestServer.Reply binBatch =
          npySearch(s, "?k=3", NpyBodies.float32(new float[][] {{0, 0, 0}, {3, 3, 2}}));
      assertEquals(200, binBatch.status(), binBatch.body());
      assertEquals(jsonBatch.json().get("results"), binBatch.json().get("results"));
      assertEquals(2, binBatch.json().get("results").size());

      String[][] bad = {
        {"?k=x", "query parameter 'k' must be an integer, got 'x'"},
        {"?exact=yes", "query parameter 'exact' must be true or false"},
        {"?vector=1", "unknown query parameter 'vector'"},
        {"?k=0", "'k' must be at least 1"},
        {"?ef=5&exact=true", "not both"},
      };
      for (String[] b : bad) {
        TestServer.Reply r = npySearch(s, b[0], NpyBodies.float32(new float[] {1, 2, 3}));
        assertEquals(400, r.status(), b[0] + ": " + r.body());
        assertTrue(r.message().contains(b[1]), b[0] + ": " + r.message());
      }
      TestServer.Reply dim = npySearch(s, "", NpyBodies.float32(new float[] {1, 2}));
      assertEquals("wrong_dimension", dim.code(), dim.body());
      TestServer.Reply nan = npySearch(s, "", NpyBodies.float32(new float[][] {{1, Float.NaN, 3}}));
      assertEquals("non_finite_value", nan.code(), nan.body());
      assertTrue(nan.message().contains("request body[0][1]"), nan.message());
      TestServer.Reply inf =
          npySearch(s, "", NpyBodies.float32(new float[] {1, 2, Float.NEGATIVE_INFINITY}));
      assertEquals("non_finite_value", inf.code(), inf.body());
      assertTrue(inf.message().contains("'request body[2]' is -Infinity"), inf.message());
      TestServer.Reply empty = npySearch(s, "", NpyBodies.empty(3));
      assertEquals(400, empty.status(), empty.body());
      TestServer.Reply garbage = npySearch(s, "", new byte[] {1, 2, 3});
      assertEquals("invalid_npy", garbage.code(), garbage.body());
    }
  }
}
