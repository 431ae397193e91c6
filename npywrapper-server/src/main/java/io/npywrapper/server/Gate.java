package io.npywrapper.server;

import io.npywrapper.security.AuthenticationException;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import io.npywrapper.server.http.Exchange;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Admission of each request: reads the {@code Authorization: Bearer <api key>} header, turns the
 * key into a {@link Principal} ({@link Security#authenticate}, microseconds per call) and checks
 * what the route requires of it. A missing or bad key is a 401, a missing permission a 403; both
 * are audited by {@link Security}, a 401 with the request's method, path and remote address.
 * Thread-safe.
 */
final class Gate {
  private static final String BEARER = "bearer ";

  private final Security security;

  Gate(Security security) {
    this.security = security;
  }

  /**
   * The caller of {@code exchange}, checked against {@code access}; null for a public route.
   *
   * @param collection the collection named by the route's path, or null
   * @throws ApiException 401 without a usable key
   * @throws io.npywrapper.security.AccessDeniedException (403) without the permission
   */
  Principal admit(Exchange exchange, Access access, String collection) {
    if (access == Access.PUBLIC) {
      return null;
    }
    Principal p = authenticate(exchange, collection);
    switch (access) {
      case READ -> security.require(p, collection, Permission.READ);
      case WRITE -> security.require(p, collection, Permission.WRITE);
      case ADMIN -> security.require(p, collection, Permission.ADMIN);
      case SECURITY_ADMIN -> security.requireSecurityAdmin(p);
      case AUTHENTICATED, PUBLIC -> {}
    }
    return p;
  }

  /** Throws a 403 unless {@code p} holds {@code perm} on {@code collection} (audited). */
  void require(Principal p, String collection, Permission perm) {
    security.require(p, collection, perm);
  }

  private Principal authenticate(Exchange exchange, String collection) {
    String header = exchange.requestHeaders().first("Authorization");
    exchange.responseHeaders().set("WWW-Authenticate", "Bearer");
    Supplier<String> origin = () -> origin(exchange); // built only for the audit of a refusal
    if (header == null) {
      throw unauthorized(
          security.refuseUnauthenticated(
              "missing Authorization header: send 'Authorization: Bearer <api key>'",
              collection,
              origin));
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized(
          security.refuseUnauthenticated(
              "the Authorization header must be 'Bearer <api key>'", collection, origin));
    }
    try {
      Principal p =
          security.authenticate(header.substring(BEARER.length()).trim(), collection, origin);
      exchange.responseHeaders().remove("WWW-Authenticate");
      return p;
    } catch (AuthenticationException e) {
      throw unauthorized(e);
    }
  }

  /** What the audit log records of a refused request: method, path and remote address. */
  private static String origin(Exchange exchange) {
    String path = exchange.rawPath();
    if (path != null && path.length() > 200) {
      path = path.substring(0, 200) + "...";
    }
    InetSocketAddress from = exchange.remoteAddress();
    return exchange.method()
        + " "
        + path
        + " from "
        + (from == null ? "an unknown address" : from.getHostString() + ":" + from.getPort());
  }

  private static ApiException unauthorized(AuthenticationException e) {
    return new ApiException(401, "unauthorized", e.getMessage());
  }
}
