package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized bodies are refused before they are read: a declared Content-Length over the limit is
 * answered at once (the client never sends the body), a chunked body as soon as it passes the
 * limit. Driven over a raw socket so the test controls exactly what is sent.
 */
class RequestLimitsTest {
  private static final int LIMIT = 4096;

  @TempDir Path dir;

  @Test
  void declaredOversizedBodyIsRefusedWithoutReadingIt() throws Exception {
    try (TestServer s = new TestServer(dir, config())) {
      create(s);
      try (Socket sock = connect(s)) {
        String head =
            "POST /v1/collections/t/rows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer "
                + s.adminToken()
                + "\r\nContent-Length: 1000000000\r\n\r\n";
        sock.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        sock.getOutputStream().flush();
        String answer = readAnswer(sock.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"too_large\""), answer);
        assertTrue(answer.contains("1000000000 bytes exceeds the server's limit of 4096"), answer);
      }
      assertEquals(0, s.get("/v1/collections/t").json().get("rows").asLong());
    }
  }

  @Test
  void chunkedBodyIsCutOffAtTheLimit() throws Exception {
    try (TestServer s = new TestServer(dir, config())) {
      create(s);
      try (Socket sock = connect(s)) {
        OutputStream out = sock.getOutputStream();
        out.write(
            ("POST /v1/collections/t/rows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer "
                    + s.adminToken()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        // a valid JSON start, then far more than the limit, sent in chunks; never terminated
        StringBuilder body = new StringBuilder("{\"vectors\":[");
        for (int i = 0; i < 1000; i++) {
          body.append("[1,2],");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
        for (int off = 0; off < bytes.length; off += 1000) {
          int n = Math.min(1000, bytes.length - off);
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(bytes, off, n);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        String answer = readAnswer(sock.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("more than 4096 bytes exceeds"), answer);
      }
      assertEquals(0, s.get("/v1/collections/t").json().get("rows").asLong());
    }
  }

  /** A small body limit. */
  private static ServerConfig config() {
    return TestServer.config().withLimits(Limits.DEFAULT.withMaxBodyBytes(LIMIT));
  }

  private static void create(TestServer s) throws Exception {
    assertEquals(201, s.post("/v1/collections", "{\"name\":\"t\",\"dim\":2}").status());
  }

  private static Socket connect(TestServer s) throws IOException {
    Socket sock = new Socket("127.0.0.1", s.server.port());
    sock.setSoTimeout(10_000);
    return sock;
  }

  /** Status line, headers and the body of a Content-Length response. */
  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int contentLength = -1;
    int headerEnd = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      buf.write(b);
      String text = buf.toString(StandardCharsets.UTF_8);
      if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
        headerEnd = text.length();
        for (String line : text.split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
      }
      if (headerEnd >= 0 && buf.size() >= headerEnd + Math.max(0, contentLength)) {
        break;
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
