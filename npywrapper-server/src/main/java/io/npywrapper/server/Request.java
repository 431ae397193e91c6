package io.npywrapper.server;

import io.npywrapper.Database;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.server.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One HTTP request as the handlers see it: method, path parameters, query parameters, headers, the
 * body (read at most once, never beyond {@link Limits#maxBodyBytes()}), the authenticated caller
 * and the view of the database it works through. Not thread-safe (one per exchange).
 */
final class Request {
  private final Exchange exchange;
  private final Map<String, String> pathParams;
  private final Limits limits;
  private final Database db;
  private final Principal principal;
  private final Gate gate;
  private Map<String, String> query;
  private byte[] body;

  Request(
      Exchange exchange,
      Map<String, String> pathParams,
      Limits limits,
      Database db,
      Principal principal,
      Gate gate) {
    this.exchange = exchange;
    this.pathParams = pathParams;
    this.limits = limits;
    this.db = db;
    this.principal = principal;
    this.gate = gate;
  }

  /** The database as the caller may use it: a view that checks the caller's permissions. */
  Database db() {
    return db;
  }

  /** The authenticated caller (null only on public routes). */
  Principal principal() {
    return principal;
  }

  /** Throws a 403 unless the caller holds {@code perm} on {@code collection} (audited). */
  void require(String collection, Permission perm) {
    gate.require(principal, collection, perm);
  }

  Limits limits() {
    return limits;
  }

  /** A parameter of the route's path, e.g. {@code c} of {@code /v1/collections/{c}}. */
  String path(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no path parameter '" + name + "'");
    }
    return v;
  }

  /** A query-string parameter, or null. */
  String query(String name) {
    return queryParams().get(name);
  }

  /** Every query-string parameter, decoded (each name at most once). */
  Map<String, String> queryParams() {
    if (query == null) {
      query = parseQuery(exchange.rawQuery());
    }
    return java.util.Collections.unmodifiableMap(query);
  }

  /** Throws a 400 for a query parameter not in {@code allowed}. */
  void allowQuery(Set<String> allowed) {
    for (String k : queryParams().keySet()) {
      if (!allowed.contains(k)) {
        throw ApiException.badRequest(
            "unknown query parameter '" + k + "'; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  String header(String name) {
    return exchange.requestHeaders().first(name);
  }

  /** The content type without parameters, lower-case; "" when absent. */
  String contentType() {
    String ct = header("Content-Type");
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /**
   * The whole body. A declared Content-Length over the limit is refused before reading; a body
   * without one is read until it passes the limit, then refused.
   *
   * @throws ApiException 413 when the body is over {@link Limits#maxBodyBytes()}
   */
  byte[] body() throws IOException {
    if (body != null) {
      return body;
    }
    long max = limits.maxBodyBytes();
    String declared = header("Content-Length");
    // A declared length sizes the buffer (one byte more, so reading it all needs no growth);
    // chunked bodies start at 64 KiB and grow up to the limit.
    long initial = 1 << 16;
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid Content-Length '" + declared + "'");
      }
      if (n > max) {
        throw tooLarge(Long.toString(n));
      }
      initial = Math.max(n, 0) + 1;
    }
    // On an oversized body the 413 goes out with the rest unread: the connection then closes
    // after the answer (it reads and drops what still arrives for a moment, so the client sees it).
    InputStream in = exchange.requestBody();
    byte[] buf = new byte[(int) Math.min(max + 1, initial)];
    int len = 0;
    while (true) {
      if (len == buf.length) {
        if (len > max) {
          throw tooLarge("more than " + max);
        }
        buf = Arrays.copyOf(buf, (int) Math.min(max + 1, (long) buf.length * 2));
      }
      int r = in.read(buf, len, buf.length - len);
      if (r < 0) {
        break;
      }
      len += r;
    }
    if (len > max) {
      throw tooLarge("more than " + max);
    }
    in.close();
    body = Arrays.copyOf(buf, len);
    return body;
  }

  private ApiException tooLarge(String size) {
    return ApiException.tooLarge(
        "request body of "
            + size
            + " bytes exceeds the server's limit of "
            + limits.maxBodyBytes()
            + " bytes");
  }

  /** The body as a JSON object with only {@code allowed} fields. */
  JsonBody json(Set<String> allowed) throws IOException {
    requireJson();
    return JsonBody.parse(body(), allowed);
  }

  /**
   * The body as a JSON object with only {@code allowed} fields, its {@code "vector"} or {@code
   * "vectors"} of {@code dim} values read without a tree ({@link JsonBody#parseWithVectors}).
   */
  JsonBody jsonWithVectors(Set<String> allowed, int dim) throws IOException {
    requireJson();
    return JsonBody.parseWithVectors(body(), allowed, dim, limits);
  }

  private void requireJson() {
    String ct = contentType();
    if (!ct.isEmpty() && !ct.equals(Response.JSON)) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "expected Content-Type application/json, got '" + ct + "'");
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (m.putIfAbsent(k, v) != null) {
        throw ApiException.badRequest("query parameter '" + k + "' given twice");
      }
    }
    return m;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed query string: " + e.getMessage());
    }
  }
}
