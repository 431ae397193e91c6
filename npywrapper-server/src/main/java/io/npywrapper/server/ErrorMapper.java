package io.npywrapper.server;

import io.npywrapper.collection.CommitConflictException;
import io.npywrapper.meta.filter.FilterException;
import io.npywrapper.npy.NpyFormatException;
import io.npywrapper.security.AccessDeniedException;
import io.npywrapper.security.AuthenticationException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns an exception from a handler into the API's error response {@code
 * {"error":{"code":...,"message":...}}}: a 4xx naming the problem for anything the client can fix,
 * a 500 with a generic message (and the stack trace logged under an incident number) for anything
 * else. Thread-safe.
 */
final class ErrorMapper {
  private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());
  private final AtomicLong incidents = new AtomicLong();

  Response map(Throwable e, String method, String path) {
    return switch (e) {
      case ApiException a -> error(a.status(), a.code(), a.getMessage());
      case AccessDeniedException a -> error(403, "forbidden", a.getMessage());
      case AuthenticationException a -> error(401, "unauthorized", a.getMessage());
      case FilterException f -> error(400, "invalid_filter", f.getMessage());
      case NpyFormatException n -> error(400, "invalid_npy", n.getMessage());
      case NoSuchElementException n -> error(404, "not_found", n.getMessage());
      case CommitConflictException c -> error(409, "conflict", c.getMessage());
      case IllegalArgumentException i -> error(400, "bad_request", i.getMessage());
      default -> internal(e, method, path);
    };
  }

  private Response internal(Throwable e, String method, String path) {
    long n = incidents.incrementAndGet();
    LOG.log(Level.SEVERE, "incident " + n + ": " + method + " " + path + " failed", e);
    return error(500, "internal", "internal error (incident " + n + ", see the server log)");
  }

  static Response error(int status, String code, String message) {
    return Response.json(
        status, Map.of("error", Map.of("code", code, "message", message == null ? code : message)));
  }
}
