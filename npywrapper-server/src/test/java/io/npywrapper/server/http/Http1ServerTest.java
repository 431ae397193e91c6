package io.npywrapper.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 transport over real loopback sockets, with an echoing handler. */
class Http1ServerTest {
  private static final String H = " HTTP/1.1\r\nHost: t\r\n";

  @Test
  void keepAliveServesManyRequestsOnOneConnection() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      for (int i = 0; i < 5; i++) {
        EchoServer.Answer a = c.write("POST /p?i=" + i + H + "Content-Length: 3\r\n\r\nabc").read();
        assertEquals(200, a.status());
        assertEquals("POST /p i=" + i + " 3:abc", a.body());
        assertTrue(a.head().contains("X-Echo: 1\r\n"), a.head());
        assertFalse(a.closes());
      }
      assertEquals(1, s.server.openConnections());
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      c.write(
          "GET /a"
              + H
              + "\r\nPOST /b"
              + H
              + "Content-Length: 2\r\n\r\nxyGET /c"
              + H
              + "Connection: close\r\n\r\n");
      assertEquals("GET /a null 0:", c.read().body());
      assertEquals("POST /b null 2:xy", c.read().body());
      EchoServer.Answer last = c.read();
      assertEquals("GET /c null 0:", last.body());
      assertTrue(last.closes());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void http10ClosesUnlessKeptAlive() throws IOException {
    try (EchoServer s = new EchoServer()) {
      try (EchoServer.RawClient c = s.client()) {
        EchoServer.Answer a = c.write("GET /x HTTP/1.0\r\n\r\n").read();
        assertEquals(200, a.status());
        assertTrue(a.head().startsWith("HTTP/1.1 200 OK\r\n"));
        assertTrue(c.closedByServer());
      }
      try (EchoServer.RawClient c = s.client()) {
        EchoServer.Answer a = c.write("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
        assertTrue(a.head().contains("Connection: keep-alive"), a.head());
        assertEquals(200, c.write("GET /y HTTP/1.0\r\n\r\n").read().status());
      }
    }
  }

  @Test
  void chunkedBodiesAndTheNextRequestAfterThem() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      c.write(
          "PUT /c" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n");
      assertEquals("PUT /c null 5:abcde", c.read().body());
      assertEquals(200, c.write("GET /again" + H + "\r\n").read().status());
    }
  }

  @Test
  void expectContinueIsAnsweredWhenTheBodyIsRead() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      c.write("POST /e" + H + "Expect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      assertEquals(100, c.read().status());
      c.write("data");
      assertEquals("POST /e null 4:data", c.read().body());
    }
  }

  @Test
  void expectContinueUnreadClosesWithoutWaitingForTheBody() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      c.write("POST /unread" + H + "Expect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      EchoServer.Answer a = c.read();
      assertEquals(200, a.status());
      assertTrue(a.closes(), a.head());
    }
  }

  @Test
  void anUnreadSmallBodyIsSkippedAndALargeOneClosesTheConnection() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      EchoServer.Answer a = c.write("POST /unread" + H + "Content-Length: 5\r\n\r\nhello").read();
      assertFalse(a.closes());
      assertEquals("GET /next null 0:", c.write("GET /next" + H + "\r\n").read().body());

      long big = Exchange.MAX_SKIP + 1;
      a = c.write("POST /unread" + H + "Content-Length: " + big + "\r\n\r\npartial").read();
      assertEquals(200, a.status());
      assertTrue(a.closes(), a.head());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void protocolErrorsAreRefusedAndClose() throws IOException {
    String[][] cases = {
      {"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", "400"},
      {"POST /" + H + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "400"},
      {"POST /" + H + "Content-Length: 1, 2\r\n\r\n", "400"},
      {"POST /" + H + "Content-Length: -1\r\n\r\n", "400"},
      {"POST /" + H + "Transfer-Encoding: gzip\r\n\r\n", "501"},
      {"GET / HTTP/3.0\r\n\r\n", "505"},
      {"POST /" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", "400"},
    };
    try (EchoServer s = new EchoServer()) {
      for (String[] k : cases) {
        try (EchoServer.RawClient c = s.client()) {
          EchoServer.Answer a = c.write(k[0]).read();
          assertEquals(Integer.parseInt(k[1]), a.status(), k[0] + " -> " + a);
          assertTrue(a.closes(), a.head());
          assertFalse(a.body().isEmpty());
          assertTrue(c.closedByServer(), k[0]);
        }
      }
    }
  }

  @Test
  void headAnswersCarryTheLengthButNoBody() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      c.write("HEAD /h" + H + "\r\n");
      EchoServer.Answer a = c.readHeadOnly();
      assertTrue(a.head().contains("Content-Length: 15\r\n"), a.head());
      // no body bytes follow: the next answer starts right away
      assertEquals("GET /n null 0:", c.write("GET /n" + H + "\r\n").read().body());
    }
  }

  @Test
  void stopClosesIdleConnectionsAndWaitsForBusyOnes() throws Exception {
    EchoServer s = new EchoServer();
    int port = s.server.address().getPort();
    try (EchoServer.RawClient idle = s.client();
        EchoServer.RawClient busy = s.client()) {
      assertEquals(200, idle.write("GET /i" + H + "\r\n").read().status());
      busy.write("GET /slow" + H + "\r\n");
      assertTrue(s.slowStarted.await(10, TimeUnit.SECONDS));
      CompletableFuture<Integer> stopping =
          CompletableFuture.supplyAsync(() -> s.server.stop(Duration.ofSeconds(30)));
      assertTrue(idle.closedByServer());
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      assertFalse(stopping.isDone());
      s.release.countDown();
      EchoServer.Answer a = busy.read();
      assertEquals(200, a.status());
      assertTrue(a.closes(), a.head());
      assertEquals(0, stopping.get(10, TimeUnit.SECONDS));
    } finally {
      s.close();
    }
  }

  @Test
  void connectionsBeyondTheCapGetA503AndTheRestKeepWorking() throws IOException {
    try (EchoServer s = new EchoServer(2);
        EchoServer.RawClient a = s.client();
        EchoServer.RawClient b = s.client()) {
      assertEquals(200, a.write("GET /a" + H + "\r\n").read().status());
      assertEquals(200, b.write("GET /b" + H + "\r\n").read().status());
      try (EchoServer.RawClient c = s.client()) {
        EchoServer.Answer refused = c.read();
        assertEquals(503, refused.status());
        assertTrue(refused.body().contains("\"overloaded\""), refused.body());
        assertTrue(refused.closes());
      }
      assertEquals(200, a.write("GET /again" + H + "\r\n").read().status());
    }
  }

  @Test
  void aHeadThatMissesItsDeadlineIs408() throws IOException {
    WireInput in = RequestHeadTest.wire("GET / HTTP/1.1\r\n", 4);
    in.deadline(System.nanoTime() - 1); // checked before each read of the socket
    HttpProtocolException e = assertThrows(HttpProtocolException.class, () -> RequestHead.read(in));
    assertEquals(408, e.status());
  }

  @Test
  void noAnswerAtAllWhenTheClientSendsNothing() throws IOException {
    try (EchoServer s = new EchoServer();
        EchoServer.RawClient c = s.client()) {
      c.socket.shutdownOutput();
      assertNull(c.read());
    }
  }
}
