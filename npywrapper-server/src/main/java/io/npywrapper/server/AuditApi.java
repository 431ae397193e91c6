package io.npywrapper.server;

import io.npywrapper.security.AuditEvent;
import io.npywrapper.security.Security;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit log over HTTP: {@code GET /v1/audit?from=ISO&to=ISO&limit=N}, oldest first. Needs the
 * right to manage security. Stateless and thread-safe.
 */
final class AuditApi {
  /** Most events in one answer. */
  static final int MAX_LIMIT = 10_000;

  private final Security security;

  AuditApi(Security security) {
    this.security = security;
  }

  void register(Router r) {
    r.add("GET", "/v1/audit", Access.SECURITY_ADMIN, this::audit);
  }

  private Response audit(Request req) throws IOException {
    req.allowQuery(Set.of("from", "to", "limit"));
    Instant from = instant(req, "from", Instant.EPOCH);
    Instant to = instant(req, "to", Instant.now().plusSeconds(1));
    int limit = 1000;
    if (req.query("limit") != null) {
      try {
        limit = Integer.parseInt(req.query("limit"));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "'limit' must be an integer, got '" + req.query("limit") + "'");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiException.badRequest(
            "'limit' must be between 1 and " + MAX_LIMIT + ", got " + limit);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (AuditEvent e : security.audit().read(from, to, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", e.time().toString());
      m.put("principal", e.principal());
      m.put("action", e.action());
      m.put("collection", e.collection());
      m.put("outcome", e.outcome());
      m.put("detail", e.detail());
      out.add(m);
    }
    return Response.ok(Map.of("events", out));
  }

  private static Instant instant(Request req, String name, Instant fallback) {
    String v = req.query(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "'"
              + name
              + "' must be an ISO-8601 instant such as 2026-11-25T18:00:00Z, got '"
              + v
              + "'");
    }
  }
}
