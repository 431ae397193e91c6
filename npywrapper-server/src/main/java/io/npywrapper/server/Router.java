package io.npywrapper.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.npywrapper.Database;
import io.npywrapper.security.Principal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final AtomicInteger inFlight = new AtomicInteger();
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

  /** Requests being answered now. */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    inFlight.incrementAndGet();
    metrics.started();
    String method = exchange.getRequestMethod();
    String routeName = "unmatched";
    Response response;
    try {
      List<String> path = decodePath(exchange.getRequestURI().getRawPath());
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
        exchange.getResponseHeaders().set("Connection", "close");
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
      response = errors.map(e, method, exchange.getRequestURI().getRawPath());
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
    } finally {
      exchange.close();
      inFlight.decrementAndGet();
    }
  }

  private static Response unrouted(HttpExchange exchange, Set<String> allowed) {
    if (allowed.isEmpty()) {
      return ErrorMapper.error(
          404, "not_found", "no such endpoint: " + exchange.getRequestURI().getRawPath());
    }
    exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
    return ErrorMapper.error(
        405,
        "method_not_allowed",
        exchange.getRequestMethod()
            + " is not allowed on "
            + exchange.getRequestURI().getRawPath()
            + "; allowed: "
            + String.join(", ", allowed));
  }

  private static void send(HttpExchange exchange, Response r) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", r.contentType());
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (r.body().length == 0 || head) {
      exchange.sendResponseHeaders(r.status(), -1);
      return;
    }
    // The whole answer is serialized already: a fixed length and one write of the body.
    exchange.sendResponseHeaders(r.status(), r.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(r.body());
    }
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
