package io.npywrapper.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * An {@link Http1Server} on a loopback port whose handler echoes what it got: {@code METHOD PATH
 * QUERY <body length>:<body>}; the path {@code /unread} answers without reading the body, {@code
 * /slow} waits for {@link #release} first; header {@code X-Virtual} says whether a virtual thread
 * answered. Plus a raw-socket client that writes bytes and reads whole answers.
 */
final class EchoServer implements AutoCloseable {
  final Http1Server server;
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch slowStarted = new CountDownLatch(1);

  EchoServer() throws IOException {
    this(Http1Server.MAX_CONNECTIONS);
  }

  EchoServer(int maxConnections) throws IOException {
    this(maxConnections, Thread.ofVirtual().factory());
  }

  EchoServer(int maxConnections, ThreadFactory threads) throws IOException {
    this(maxConnections, threads, BusyPoll.OFF);
  }

  EchoServer(int maxConnections, ThreadFactory threads, BusyPoll poll) throws IOException {
    HttpHandler echo =
        new HttpHandler() {
          @Override
          public void handle(Exchange ex) throws IOException {
            if (ex.rawPath().equals("/slow")) {
              slowStarted.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            byte[] body =
                ex.rawPath().equals("/unread") ? new byte[0] : ex.requestBody().readAllBytes();
            String text =
                ex.method()
                    + " "
                    + ex.rawPath()
                    + " "
                    + ex.rawQuery()
                    + " "
                    + body.length
                    + ":"
                    + new String(body, StandardCharsets.ISO_8859_1);
            ex.responseHeaders().set("X-Echo", "1");
            ex.responseHeaders()
                .set("X-Virtual", String.valueOf(Thread.currentThread().isVirtual()));
            ex.send(200, "text/plain", text.getBytes(StandardCharsets.ISO_8859_1));
          }

          @Override
          public void refuse(Exchange ex, int status, String message) throws IOException {
            ex.send(status, "text/plain", message.getBytes(StandardCharsets.ISO_8859_1));
          }
        };
    server =
        Http1Server.start(
            new InetSocketAddress("127.0.0.1", 0), null, echo, threads, poll, maxConnections);
  }

  RawClient client() throws IOException {
    return new RawClient(server.address().getPort());
  }

  @Override
  public void close() {
    release.countDown();
    server.close();
  }

  /** One answer: status, raw head and body. */
  record Answer(int status, String head, String body) {
    boolean closes() {
      return head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close");
    }
  }

  /** A blocking-socket client with a read timeout, so a hung server fails the test. */
  static final class RawClient implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    RawClient(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    RawClient write(String s) throws IOException {
      out.write(s.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return this;
    }

    /** The next answer, or null when the server closed the connection first. */
    Answer read() throws IOException {
      return read(true);
    }

    /** The next answer's head, for a HEAD request (no body follows it). */
    Answer readHeadOnly() throws IOException {
      return read(false);
    }

    private Answer read(boolean withBody) throws IOException {
      StringBuilder head = new StringBuilder();
      int c;
      while (!head.toString().endsWith("\r\n\r\n")) {
        c = in.read();
        if (c < 0) {
          return head.isEmpty() ? null : fail("closed mid-head: " + head);
        }
        head.append((char) c);
      }
      String h = head.toString();
      int status = Integer.parseInt(h.substring(9, 12));
      int length = 0;
      for (String line : h.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(status == 100 || !withBody ? 0 : length);
      return new Answer(status, h, new String(body, StandardCharsets.ISO_8859_1));
    }

    /** True when the server closed the connection (end of stream or reset). */
    boolean closedByServer() {
      try {
        return in.read() < 0;
      } catch (IOException e) {
        return true;
      }
    }

    private static Answer fail(String message) throws IOException {
      throw new IOException(message);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
