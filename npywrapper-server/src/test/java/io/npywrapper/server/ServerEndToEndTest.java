package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API driven as a client would, over HTTP against a real server on a loopback port. */
class ServerEndToEndTest {
  @TempDir Path dir;

  @Test
  void createAddSearchQueryDeleteVersions() throws Exception {
    try (TestServer s = new TestServer(dir)) {
      assertEquals(200, s.get("/healthz").status());

      TestServer.Reply created =
          s.post(
              "/v1/collections",
              """
              {"name":"docs","dim":3,"metric":"l2",
               "schema":{"color":"string","price":"float64","tags":"string_list"},
               "properties":{"team":"search"}}""");
      assertEquals(201, created.status(), created.body());
      assertEquals(3, created.json().get("dim").asInt());
      assertEquals("float64", created.json().at("/schema/price").asText());

      TestServer.Reply added =
          s.post(
              "/v1/collections/docs/rows",
              """
              {"ids":[1,2,3],
               "vectors":[[0,0,0],[1,0,0],[5,5,5]],
               "attributes":[{"color":"red","price":10,"tags":["a"]},
                             {"color":"blue","price":20.5},
                             {"color":"red","price":99}]}""");
      assertEquals(200, added.status(), added.body());
      assertEquals(3, added.json().get("count").asInt());

      // binary .npy body with ids in the query string
      byte[] npy = NpyBodies.float32(new float[][] {{0.9f, 0, 0}, {4, 4, 4}});
      TestServer.Reply npyAdded =
          s.send(
              "POST",
              "/v1/collections/docs/rows?ids=10,11",
              HttpRequest.BodyPublishers.ofByteArray(npy),
              "application/x-npy");
      assertEquals(200, npyAdded.status(), npyAdded.body());
      assertEquals("[10,11]", npyAdded.json().get("ids").toString());

      // .npy without ids: assigned consecutively
      TestServer.Reply assigned =
          s.send(
              "POST",
              "/v1/collections/docs/rows",
              HttpRequest.BodyPublishers.ofByteArray(NpyBodies.float32(new float[][] {{9, 9, 9}})),
              "application/x-npy");
      assertEquals(200, assigned.status(), assigned.body());
      long assignedId = assigned.json().get("ids").get(0).asLong();

      TestServer.Reply found =
          s.post(
              "/v1/collections/docs/search",
              """
              {"vector":[1,0,0],"k":2,"select":["color","price"]}""");
      assertEquals(200, found.status(), found.body());
      JsonNode hits = found.json().get("results").get(0);
      assertEquals(2, hits.size());
      assertEquals(2, hits.get(0).get("id").asLong());
      assertEquals(0.0, hits.get(0).get("distance").asDouble(), 1e-6);
      assertEquals("blue", hits.get(0).get("color").asText());
      assertEquals(10, hits.get(1).get("id").asLong());
      TestServer.Reply page =
          s.post("/v1/collections/docs/search", "{\"vector\":[1,0,0],\"k\":1,\"offset\":1}");
      assertEquals(10, page.json().at("/results/0/0/id").asLong(), page.body());

      TestServer.Reply batch =
          s.post(
              "/v1/collections/docs/search",
              """
              {"vectors":[[0,0,0],[5,5,5]],"k":1,"filter":"color = 'red'","with_vectors":true}""");
      assertEquals(200, batch.status(), batch.body());
      assertEquals(1, batch.json().at("/results/0/0/id").asLong());
      assertEquals(3, batch.json().at("/results/1/0/id").asLong());
      assertEquals("[5.0,5.0,5.0]", batch.json().at("/results/1/0/vector").toString());

      TestServer.Reply query =
          s.post(
              "/v1/collections/docs/query",
              """
              {"filter":"price > 5","select":"price","order_by":"price desc","limit":2}""");
      assertEquals(200, query.status(), query.body());
      assertEquals(3, query.json().at("/rows/0/id").asLong());
      assertEquals(99.0, query.json().at("/rows/0/price").asDouble());
      assertEquals(2, query.json().at("/rows/1/id").asLong());

      TestServer.Reply row = s.get("/v1/collections/docs/rows/1");
      assertEquals(200, row.status(), row.body());
      assertEquals("red", row.json().at("/attributes/color").asText());
      assertEquals("[\"a\"]", row.json().at("/attributes/tags").toString());

      // upsert replaces by id
      TestServer.Reply upserted =
          s.post(
              "/v1/collections/docs/rows?mode=upsert",
              """
              {"ids":[1],"vectors":[[7,7,7]],"attributes":[{"color":"green"}]}""");
      assertEquals(200, upserted.status(), upserted.body());
      assertEquals(
          "green", s.get("/v1/collections/docs/rows/1").json().at("/attributes/color").asText());

      TestServer.Reply deleted = s.post("/v1/collections/docs/delete", "{\"ids\":[2,999]}");
      assertEquals(200, deleted.status(), deleted.body());
      assertEquals(1, deleted.json().get("deleted").asLong());
      TestServer.Reply byFilter =
          s.post("/v1/collections/docs/delete", "{\"filter\":\"color = 'red'\"}");
      assertEquals(1, byFilter.json().get("deleted").asLong(), byFilter.body());
      assertEquals(404, s.get("/v1/collections/docs/rows/2").status());

      TestServer.Reply info = s.get("/v1/collections/docs");
      assertEquals(4, info.json().get("rows").asLong(), info.body()); // 1, 10, 11, assigned
      assertTrue(assignedId >= 0);

      TestServer.Reply props =
          s.call("PUT", "/v1/collections/docs/properties", "{\"owner\":\"ann\",\"team\":null}");
      assertEquals(200, props.status(), props.body());
      assertEquals("{\"owner\":\"ann\"}", props.json().get("properties").toString());

      TestServer.Reply versions = s.get("/v1/collections/docs/versions");
      assertEquals(200, versions.status());
      List<String> ops = new ArrayList<>();
      versions.json().get("versions").forEach(v -> ops.add(v.get("operation").asText()));
      assertEquals("create", ops.get(0), ops.toString());
      assertTrue(ops.contains("set_properties"), ops.toString());

      // time travel: version 1 is the empty collection
      TestServer.Reply old =
          s.post("/v1/collections/docs/search", "{\"vector\":[0,0,0],\"version\":1}");
      assertEquals(200, old.status(), old.body());
      assertEquals(0, old.json().at("/results/0").size());

      TestServer.Reply compact = s.post("/v1/collections/docs/compact", null);
      assertEquals(200, compact.status(), compact.body());

      // compaction committed the rows into segments; index them all, then search both ways
      TestServer.Reply index = s.post("/v1/collections/docs/index", "{\"min_rows\":1,\"m\":8}");
      assertEquals(200, index.status(), index.body());
      assertTrue(index.json().get("built").asInt() >= 1, index.body());
      for (String how : List.of("\"ef\":16", "\"ef\":16,\"rerank\":8", "\"exact\":true")) {
        TestServer.Reply r =
            s.post("/v1/collections/docs/search", "{\"vector\":[7,7,7],\"k\":1," + how + "}");
        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().at("/results/0/0/id").asLong(), how + ": " + r.body());
      }

      TestServer.Reply list = s.get("/v1/collections?where=owner%20%3D%20'ann'");
      assertEquals(1, list.json().get("collections").size(), list.body());

      assertEquals(200, s.call("DELETE", "/v1/collections/docs", null).status());
      assertEquals(404, s.get("/v1/collections/docs").status());
      assertEquals(0, s.get("/v1/collections").json().get("collections").size());
    }
  }

  @Test
  void stringIdsRoundTrip() throws Exception {
    try (TestServer s = new TestServer(dir)) {
      assertEquals(
          201,
          s.post("/v1/collections", "{\"name\":\"s\",\"dim\":2,\"id_type\":\"string\"}").status());
      TestServer.Reply added =
          s.post("/v1/collections/s/rows", "{\"ids\":[\"a b\",\"c\"],\"vectors\":[[0,1],[1,0]]}");
      assertEquals(200, added.status(), added.body());
      TestServer.Reply row = s.get("/v1/collections/s/rows/a%20b");
      assertEquals(200, row.status(), row.body());
      assertEquals("a b", row.json().get("id").asText());
      TestServer.Reply hit = s.post("/v1/collections/s/search", "{\"vector\":[1,0],\"k\":1}");
      assertEquals("c", hit.json().at("/results/0/0/id").asText());
    }
  }

  @Test
  void metricsCountRequestsPerRouteAndStatus() throws Exception {
    try (TestServer s = new TestServer(dir)) {
      s.get("/healthz");
      s.get("/v1/collections/nope");
      String text = s.get("/metrics").body();
      // at least once: an HTTP client may resend an idempotent GET on a connection it lost
      String healthz = "route=\"/healthz\",method=\"GET\",status=\"200\"";
      long answered = metric(text, "npyw_http_requests_total{" + healthz + "}");
      assertTrue(answered >= 1, text);
      assertTrue(
          metric(
                  text,
                  "npyw_http_requests_total{route=\"/v1/collections/{c}\",method=\"GET\",status=\"404\"}")
              >= 1,
          text);
      assertEquals(
          answered,
          metric(text, "npyw_http_request_duration_seconds_bucket{" + healthz + ",le=\"+Inf\"}"),
          text);
      assertEquals(
          0,
          metric(
              text,
              "npyw_http_requests_total{route=\"/v1/collections\",method=\"GET\",status=\"200\"}"),
          text);
    }
  }

  /** The value of the series named exactly {@code series} in Prometheus text, 0 when absent. */
  private static long metric(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Long.parseLong(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }
}
