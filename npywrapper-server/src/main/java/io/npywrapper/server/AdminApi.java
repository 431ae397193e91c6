package io.npywrapper.server;

import io.npywrapper.security.CreatedKey;
import io.npywrapper.security.Grant;
import io.npywrapper.security.KeyInfo;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Role;
import io.npywrapper.security.Security;
import io.npywrapper.security.User;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Security administration: users, roles and API keys. Every call needs the right to manage
 * security; {@link Security} checks it again and audits each change. Stateless and thread-safe.
 */
final class AdminApi {
  private final Security security;

  AdminApi(Security security) {
    this.security = security;
  }

  void register(Router r) {
    r.add("GET", "/v1/users", Access.SECURITY_ADMIN, this::users);
    r.add("POST", "/v1/users", Access.SECURITY_ADMIN, this::createUser);
    r.add("PUT", "/v1/users/{name}", Access.SECURITY_ADMIN, this::updateUser);
    r.add("DELETE", "/v1/users/{name}", Access.SECURITY_ADMIN, this::deleteUser);
    r.add("GET", "/v1/roles", Access.SECURITY_ADMIN, this::roles);
    r.add("PUT", "/v1/roles/{name}", Access.SECURITY_ADMIN, this::putRole);
    r.add("DELETE", "/v1/roles/{name}", Access.SECURITY_ADMIN, this::deleteRole);
    r.add("GET", "/v1/keys", Access.SECURITY_ADMIN, this::keys);
    r.add("POST", "/v1/keys", Access.SECURITY_ADMIN, this::createKey);
    r.add("DELETE", "/v1/keys/{id}", Access.SECURITY_ADMIN, this::revokeKey);
  }

  private Response users(Request req) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (User u : security.users(req.principal())) {
      out.add(user(u));
    }
    return Response.ok(Map.of("users", out));
  }

  private Response createUser(Request req) throws IOException {
    JsonBody b = req.json(Set.of("name", "roles"));
    User u = security.createUser(req.principal(), b.text("name"), b.strings("roles"));
    return Response.json(201, user(u));
  }

  private Response updateUser(Request req) throws IOException {
    JsonBody b = req.json(Set.of("roles", "disabled"));
    User u =
        security.updateUser(
            req.principal(), req.path("name"), b.strings("roles"), b.bool("disabled", false));
    return Response.ok(user(u));
  }

  private Response deleteUser(Request req) throws IOException {
    security.deleteUser(req.principal(), req.path("name"));
    return Response.ok(Map.of("deleted", req.path("name")));
  }

  private Response roles(Request req) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Role r : security.roles(req.principal())) {
      out.add(role(r));
    }
    return Response.ok(Map.of("roles", out));
  }

  /** Body: {"grants":[{"collection":"docs_*","permission":"read"}],"manage_security":false}. */
  private Response putRole(Request req) throws IOException {
    JsonBody b = req.json(Set.of("grants", "manage_security"));
    List<Grant> grants = new ArrayList<>();
    var node = b.get("grants");
    if (node != null) {
      if (!node.isArray()) {
        throw JsonBody.wrongType("grants", "an array of {\"collection\",\"permission\"}", node);
      }
      for (int i = 0; i < node.size(); i++) {
        var g = node.get(i);
        String where = "grants[" + i + "]";
        if (!g.isObject()
            || !g.path("collection").isTextual()
            || !g.path("permission").isTextual()) {
          throw JsonBody.wrongType(
              where, "an object with string fields \"collection\" and \"permission\"", g);
        }
        grants.add(
            new Grant(
                g.get("collection").textValue(),
                permission(g.get("permission").textValue(), where)));
      }
    }
    Role r =
        security.putRole(
            req.principal(), new Role(req.path("name"), grants, b.bool("manage_security", false)));
    return Response.ok(role(r));
  }

  private static Permission permission(String s, String where) {
    try {
      return Permission.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "'" + where + ".permission' must be read, write or admin, got '" + s + "'");
    }
  }

  private Response deleteRole(Request req) throws IOException {
    security.deleteRole(req.principal(), req.path("name"));
    return Response.ok(Map.of("deleted", req.path("name")));
  }

  private Response keys(Request req) throws IOException {
    req.allowQuery(Set.of("user"));
    List<Map<String, Object>> out = new ArrayList<>();
    for (KeyInfo k : security.keys(req.principal(), Optional.ofNullable(req.query("user")))) {
      out.add(key(k));
    }
    return Response.ok(Map.of("keys", out));
  }

  /** Body: {"user":"ann","ttl_seconds":86400}; the answer holds the token, shown only here. */
  private Response createKey(Request req) throws IOException {
    JsonBody b = req.json(Set.of("user", "ttl_seconds"));
    Optional<Duration> ttl =
        b.has("ttl_seconds")
            ? Optional.of(Duration.ofSeconds(b.intIn("ttl_seconds", 0, 1, Integer.MAX_VALUE)))
            : Optional.empty();
    CreatedKey k = security.createKey(req.principal(), b.text("user"), ttl);
    Map<String, Object> out = key(k.info());
    out.put("token", k.token());
    return Response.json(201, out);
  }

  private Response revokeKey(Request req) throws IOException {
    security.revokeKey(req.principal(), req.path("id"));
    return Response.ok(Map.of("revoked", req.path("id")));
  }

  private static Map<String, Object> user(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("roles", u.roles());
    m.put("created", u.created().toString());
    m.put("disabled", u.disabled());
    return m;
  }

  private static Map<String, Object> role(Role r) {
    List<Map<String, Object>> grants = new ArrayList<>();
    for (Grant g : r.grants()) {
      grants.add(
          Map.of(
              "collection",
              g.collectionPattern(),
              "permission",
              g.permission().name().toLowerCase(Locale.ROOT)));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("grants", grants);
    m.put("manage_security", r.manageSecurity());
    return m;
  }

  private static Map<String, Object> key(KeyInfo k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("user", k.user());
    m.put("created", k.created().toString());
    m.put("expires", k.expires().map(Object::toString).orElse(null));
    m.put("revoked", k.revoked());
    return m;
  }
}
