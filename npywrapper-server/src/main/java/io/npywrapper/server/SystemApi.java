package io.npywrapper.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Operations endpoints: {@code /healthz} (liveness, no key needed), {@code /metrics} (Prometheus
 * text) and {@code /openapi.json} (the API's description, from a resource file). Thread-safe.
 */
final class SystemApi {
  /** The resource holding the OpenAPI 3.1 document. */
  static final String OPENAPI_RESOURCE = "/io/npywrapper/server/openapi.json";

  private final HttpMetrics metrics;
  private final byte[] openapi;

  SystemApi(HttpMetrics metrics) {
    this.metrics = metrics;
    this.openapi = openapiDocument();
  }

  void register(Router r) {
    r.add("GET", "/healthz", Access.PUBLIC, req -> Response.ok(Map.of("status", "ok")));
    r.add(
        "GET",
        "/metrics",
        Access.AUTHENTICATED,
        req -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    r.add(
        "GET",
        "/openapi.json",
        Access.AUTHENTICATED,
        req -> new Response(200, Response.JSON, openapi));
  }

  static byte[] openapiDocument() {
    try (InputStream in = SystemApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
