package io.npywrapper.server;

/**
 * A request the server refuses, with the HTTP status and the error code and message sent back as
 * {@code {"error":{"code":...,"message":...}}}. Immutable and thread-safe.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** 400 {@code bad_request}: the request names the problem the client can fix. */
  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  /** 404 {@code not_found}. */
  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  /** 413 {@code too_large}: a body, batch or k over the server's limits. */
  static ApiException tooLarge(String message) {
    return new ApiException(413, "too_large", message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
