package io.npywrapper.server;

import io.npywrapper.security.AuthenticationException;
import io.npywrapper.security.Permission;
import io.npywrapper.security.Principal;
import io.npywrapper.security.Security;
import io.npywrapper.server.http.Exchange;

/**
 * Admission of each request: reads the {@code Authorization: Bearer <api key>} header, turns the
 * key into a {@link Principal} ({@link Security#authenticate}, microseconds per call) and checks
 * what the route requires of it. A missing or bad key is a 401, a missing permission a 403; both
 * are audited by {@link Security}. Thread-safe.
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
    Principal p = authenticate(exchange);
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

  private Principal authenticate(Exchange exchange) {
    String header = exchange.requestHeaders().first("Authorization");
    exchange.responseHeaders().set("WWW-Authenticate", "Bearer");
    if (header == null) {
      throw unauthorized("missing Authorization header: send 'Authorization: Bearer <api key>'");
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized("the Authorization header must be 'Bearer <api key>'");
    }
    try {
      Principal p = security.authenticate(header.substring(BEARER.length()).trim());
      exchange.responseHeaders().remove("WWW-Authenticate");
      return p;
    } catch (AuthenticationException e) {
      throw unauthorized(e.getMessage());
    }
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }
}
