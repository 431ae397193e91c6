package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server stops new connections at once but lets a request in flight finish: a write
 * whose body is still arriving when shutdown starts is answered and durable.
 */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void requestInFlightFinishesAfterCloseStarts() throws Exception {
    try (Database db = Database.open(dir)) {
      String token = db.security().bootstrap(java.util.Optional.empty()).orElseThrow().token();
      NpywServer server =
          NpywServer.start(db, TestServer.config().withShutdownGrace(Duration.ofSeconds(30)));
      int port = server.port();
      try (TestServer.Client c = new TestServer.Client(server.uri(), token)) {
        assertEquals(201, c.post("/v1/collections", "{\"name\":\"t\",\"dim\":2}").status());
      }
      byte[] body = "{\"ids\":[1,2],\"vectors\":[[0,1],[1,0]]}".getBytes(StandardCharsets.UTF_8);
      try (Socket sock = new Socket("127.0.0.1", port)) {
        sock.setSoTimeout(20_000);
        OutputStream out = sock.getOutputStream();
        out.write(
            ("POST /v1/collections/t/rows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer "
                    + token
                    + "\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 10);
        out.flush();
        Thread.sleep(200); // the handler is now reading the body

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        awaitRefused(port);
        assertTrue(!closing.isDone(), "close() returned with a request in flight");

        out.write(body, 10, body.length - 10);
        out.flush();
        String answer = new String(readSome(sock.getInputStream()), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        closing.get();
      }
      assertEquals(2, db.collection("t").count());
    }
  }

  /** Waits until the listening socket is closed (a probe is refused or reset). */
  private static void awaitRefused(int port) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        Thread.sleep(20);
      } catch (ConnectException e) {
        return;
      } catch (SocketException e) {
        // reset while connecting: the probe sat in the backlog of a listener that then closed
        return;
      }
    }
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  private static byte[] readSome(InputStream in) throws IOException {
    byte[] buf = new byte[4096];
    int n = in.read(buf);
    return java.util.Arrays.copyOf(buf, Math.max(0, n));
  }
}
