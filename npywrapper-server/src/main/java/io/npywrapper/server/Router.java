package io.npywrapper.server;

import io.npywrapper.Database;
import io.npywrapper.security.Principal;
import io.npywrapper.server.http.Exchange;
import io.npywrapper.server.http.HttpHandler;
import io.npywrapper.server.http.HttpProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dispatches each exchange to the route matching its method and path, admits the caller through the
 * {@link Gate} (before any body is read), hands the handler a view of the database acting as the
 * caller, maps failures to error responses, writes the answer and records metrics. Unknown paths
 * get a 404, known paths with another method a 405 with an {@code Allow} header. Thread-safe once
 * built (routes are added before the server starts).
 */
final class Router implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD");

  private final List<Route> routes = new ArrayList<>();
  private final Database db;
  private final Gate gate;
  private final Limits limits;
  private final HttpMetrics metrics;
  private final ErrorMapper errors = new ErrorMapper();
  private volatile boolean draining;

  Router(Database db, Gate gate, Limits limits, HttpMetrics metrics) {
    this.db = db;
    this.gate = gate;
    this.limits = limits;
    this.metrics = metrics;
  }

  Router add(String method, String template, Access access, Handler handler) {
    routes.add(new Route(method, template, access, handler));
    return this;
  }

  /** Every route, in the order added. */
  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** From now on every request gets a 503: the server is shutting down. */
  void drain() {
    draining = true;
  }

  @Override
  public void handle(Exchange exchange) throws IOException {
    long start = System.nanoTime();
    metrics.started();
    String method = exchange.method();
    String routeName = "unmatched";
    Response response;
    try {
      List<String> path = decodePath(exchange.rawPath());
      Map<String, String> params = new HashMap<>();
      Route route = null;
      Set<String> allowed = new LinkedHashSet<>();
      for (Route r : routes) {
        params.clear();
        if (r.match(path, params)) {
          allowed.add(r.method());
          if (r.method().equals(method)) {
            route = r;
            break;
          }
        }
      }
      if (draining) {
        exchange.closeAfterAnswer();
        response = ErrorMapper.error(503, "shutting_down", "the server is shutting down");
      } else if (route == null) {
        response = unrouted(exchange, allowed);
      } else {
        routeName = route.template();
        Principal p = gate.admit(exchange, route.access(), params.get("c"));
        Database view = p == null ? db : db.as(p);
        response = route.handler().handle(new Request(exchange, params, limits, view, p, gate));
      }
    } catch (Throwable e) {
      if (e instanceof Error err && !(e instanceof OutOfMemoryError)) {
        throw err;
      }
      response = failure(e, method, exchange.rawPath());
    }
    // recorded before the answer leaves, so a client that has it also sees it counted
    metrics.record(
        routeName,
        METHODS.contains(method) ? method : "OTHER",
        response.status(),
        System.nanoTime() - start);
    try {
      send(exchange, response);
    } catch (IOException e) {
      LOG.log(Level.FINE, "client went away before the answer was sent", e);
    }
  }

  @Override
  public void refuse(Exchange exchange, int status, String message) throws IOException {
    metrics.started();
    metrics.record("unmatched", "OTHER", status, 0);
    send(exchange, ErrorMapper.error(status, protocolCode(status), message));
  }

  /** The error answer for a failure of a handler, or of the transport while it read the body. */
  private Response failure(Throwable e, String method, String path) {
    return switch (e) {
      case HttpProtocolException p ->
          ErrorMapper.error(p.status(), protocolCode(p.status()), p.getMessage());
      case EOFException eof -> ErrorMapper.error(400, "incomplete_body", eof.getMessage());
      default -> errors.map(e, method, path);
    };
  }

  private static String protocolCode(int status) {
    return switch (status) {
      case 408 -> "request_timeout";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      case 501 -> "not_implemented";
      case 505 -> "http_version_not_supported";
      default -> "bad_request";
    };
  }

  private static Response unrouted(Exchange exchange, Set<String> allowed) {
    if (allowed.isEmpty()) {
      return ErrorMapper.error(404, "not_found", "no such endpoint: " + exchange.rawPath());
    }
    exchange.responseHeaders().set("Allow", String.join(", ", allowed));
    return ErrorMapper.error(
        405,
        "method_not_allowed",
        exchange.method()
            + " is not allowed on "
            + exchange.rawPath()
            + "; allowed: "
            + String.join(", ", allowed));
  }

  private static void send(Exchange exchange, Response r) throws IOException {
    // The whole answer is serialized already: a fixed length, head and body in one write.
    exchange.send(r.status(), r.contentType(), r.body());
  }

  /** The path's segments, percent-decoded ({@code +} stays a plus). */
  private static List<String> decodePath(String raw) {
    List<String> out = new ArrayList<>();
    for (String s : Route.split(raw == null ? "" : raw)) {
      try {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed path segment '" + s + "': " + e.getMessage());
      }
    }
    return out;
  }
}
