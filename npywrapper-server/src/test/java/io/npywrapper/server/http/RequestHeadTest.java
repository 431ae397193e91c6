package io.npywrapper.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of request heads: what is accepted, and the status and message of what is not. */
class RequestHeadTest {
  static WireInput wire(String s, int buffer) {
    return new WireInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), buffer);
  }

  static RequestHead head(String s) throws IOException {
    return RequestHead.read(wire(s, 7)); // a tiny buffer: lines span many fills
  }

  @Test
  void originFormWithQueryAndFields() throws IOException {
    RequestHead h =
        head(
            "POST /v1/collections/a%20b/search?x=1&y=%2F HTTP/1.1\r\n"
                + "Host: h\r\ncontent-type:  application/json \r\nX-Two: 1\r\nx-two: 2\r\n\r\n");
    assertEquals("POST", h.method());
    assertEquals("/v1/collections/a%20b/search", h.rawPath());
    assertEquals("x=1&y=%2F", h.rawQuery());
    assertEquals(1, h.minorVersion());
    assertEquals("application/json", h.headers().first("Content-Type"));
    assertEquals(java.util.List.of("1", "2"), h.headers().all("X-TWO"));
  }

  @Test
  void absoluteFormBareLfLeadingBlankLinesAndHttp10() throws IOException {
    RequestHead h = head("\r\n\nGET http://example.com:80/healthz?q HTTP/1.0\nHost: x\n\n");
    assertEquals("/healthz", h.rawPath());
    assertEquals("q", h.rawQuery());
    assertEquals(0, h.minorVersion());
    assertEquals("/", head("GET http://example.com HTTP/1.1\r\n\r\n").rawPath());
    assertNull(head("GET / HTTP/1.1\r\n\r\n").rawQuery());
  }

  @Test
  void endOfStreamBeforeARequestIsNoRequest() throws IOException {
    assertNull(head(""));
    assertNull(head("\r\n\r\n"));
    assertThrows(EOFException.class, () -> head("GET / HTTP/1.1\r\nHost: x\r\n"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /|400|malformed request line",
        "GET  / HTTP/1.1|400|malformed request target",
        "G(T / HTTP/1.1|400|malformed method",
        "GET / HTTP/2.0|505|not supported",
        "GET / HTTP/1.1x|400|malformed HTTP version",
        "GET / http/1.1|400|malformed HTTP version",
        "GET x HTTP/1.1|400|malformed request target",
        "GET /a#b HTTP/1.1|400|fragment",
        "GET /a\u00e9 HTTP/1.1|400|non-ASCII",
        "GET /a\u0000 HTTP/1.1|400|NUL",
        "GET /a\rb HTTP/1.1|400|bare CR",
      })
  void badRequestLines(String line, int status, String message) {
    HttpProtocolException e =
        assertThrows(HttpProtocolException.class, () -> head(line + "\r\nHost: x\r\n\r\n"));
    assertEquals(status, e.status());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Host : x|malformed header field",
        ": x|malformed header field",
        "NoColon|malformed header field",
        "Bad Name: x|malformed header field",
        "' folded: x'|folded",
      })
  void badFields(String field, String message) {
    HttpProtocolException e =
        assertThrows(
            HttpProtocolException.class, () -> head("GET / HTTP/1.1\r\n" + field + "\r\n\r\n"));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void sizesAreBounded() {
    String longTarget = "/" + "a".repeat(RequestHead.MAX_REQUEST_LINE);
    assertEquals(
        414,
        assertThrows(
                HttpProtocolException.class, () -> head("GET " + longTarget + " HTTP/1.1\r\n\r\n"))
            .status());
    String longField = "X: " + "b".repeat(RequestHead.MAX_FIELD_LINE);
    assertEquals(
        431,
        assertThrows(
                HttpProtocolException.class,
                () -> head("GET / HTTP/1.1\r\n" + longField + "\r\n\r\n"))
            .status());
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i <= RequestHead.MAX_FIELDS; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    HttpProtocolException e = assertThrows(HttpProtocolException.class, () -> head(many + "\r\n"));
    assertEquals(431, e.status());
    assertTrue(e.getMessage().contains("header fields"), e.getMessage());
  }

  @Test
  void aLineAtTheLimitIsAccepted() throws IOException {
    String target = "/" + "a".repeat(RequestHead.MAX_REQUEST_LINE - "GET  HTTP/1.1".length() - 1);
    RequestHead h = head("GET " + target + " HTTP/1.1\r\n\r\n");
    assertEquals(target, h.rawPath());
  }
}
