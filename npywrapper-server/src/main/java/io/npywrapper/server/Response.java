package io.npywrapper.server;

import java.nio.charset.StandardCharsets;

/**
 * What a handler answers: status, content type and body bytes. Immutable and thread-safe (the body
 * array is not modified after construction).
 */
record Response(int status, String contentType, byte[] body) {
  static final String JSON = "application/json";

  /** {@code value} serialized as JSON. */
  static Response json(int status, Object value) {
    return new Response(status, JSON, Json.write(value));
  }

  static Response ok(Object value) {
    return json(200, value);
  }

  /** A 200 answer whose JSON is written already. */
  static Response okJson(byte[] json) {
    return new Response(200, JSON, json);
  }

  static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }
}
