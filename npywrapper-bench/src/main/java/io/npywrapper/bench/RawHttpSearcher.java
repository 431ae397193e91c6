package io.npywrapper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.npy.NpyWriter;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The leanest possible HTTP/1.1 client of the search endpoint, for telling the server's share of
 * the HTTP overhead from the JDK client's: one blocking socket (TCP_NODELAY, kept alive), the
 * request written in one piece, the answer read on the calling thread (status line, headers, a
 * {@code Content-Length} body), then parsed and checked for {@code k} hits like {@link
 * HttpSearcher}. No thread hand-offs on the client side. Not thread-safe: one per client thread.
 */
final class RawHttpSearcher implements ClientPass.Op {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest polling for one answer before falling back to a blocking read. */
  private static final long POLL_NANOS = 1_000_000_000L;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String head;
  private final boolean healthz;
  private final int k;
  private final float[][] queries;
  private int batch = 1;
  private boolean poll;

  private String npyHead;

  /**
   * A client of {@code collection}'s search endpoint, or with {@code collection} null of {@code GET
   * /healthz}: one HTTP exchange with no JSON to parse and no search, the floor of any request.
   */
  RawHttpSearcher(URI base, String collection, String token, int k, float[][] queries)
      throws IOException {
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
    socket.setSoTimeout(60_000);
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.healthz = collection == null;
    this.head =
        (healthz ? "GET /healthz" : "POST /v1/collections/" + collection + "/search")
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\n"
            + (healthz ? "" : "Content-Type: application/json\r\n")
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n");
    this.k = k;
    this.queries = queries;
  }

  /**
   * From now on each query goes as a binary {@code .npy} body ({@code Content-Type:
   * application/x-npy}, k in the query string) instead of JSON.
   */
  RawHttpSearcher withNpyBodies() {
    npyHead =
        head.replace("/search HTTP/1.1", "/search?k=" + k + " HTTP/1.1")
            .replace("Content-Type: application/json", "Content-Type: application/x-npy");
    return this;
  }

  /**
   * From now on each request carries {@code n} query vectors (query numbers {@code q} to {@code q +
   * n - 1}, wrapping around): a JSON {@code "vectors"} array or an {@code (n, dim)} {@code .npy};
   * every one of the {@code n} answers is checked for {@code k} hits.
   */
  RawHttpSearcher withBatch(int n) {
    this.batch = n;
    return this;
  }

  /**
   * From now on the client waits for each answer by polling its socket ({@code available()}, then
   * {@link Thread#yield}) instead of sleeping in {@code read}: the server's write then finds no
   * thread to wake on the client's core, as with a client on another machine, whose wake-up the
   * server never pays for. Costs the client's core its idle time.
   */
  RawHttpSearcher withPolling() {
    this.poll = true;
    return this;
  }

  @Override
  public void call(int q) throws IOException {
    if (healthz) {
      out.write((head + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] answer = readAnswer();
      if (!new String(answer, StandardCharsets.UTF_8).contains("ok")) {
        throw new IOException("healthz answered " + new String(answer, StandardCharsets.UTF_8));
      }
      return;
    }
    int dim = queries[q].length;
    if (npyHead != null) {
      float[] flat = new float[batch * dim];
      for (int i = 0; i < batch; i++) {
        System.arraycopy(queries[(q + i) % queries.length], 0, flat, i * dim, dim);
      }
      send(npyHead, batch == 1 ? NpyWriter.encode(flat, dim) : NpyWriter.encode(flat, batch, dim));
      return;
    }
    StringBuilder body = new StringBuilder(batch * dim * 12 + 32);
    body.append(batch == 1 ? "{\"vector\":" : "{\"vectors\":[");
    for (int i = 0; i < batch; i++) {
      float[] v = queries[(q + i) % queries.length];
      body.append(i == 0 ? "[" : ",[");
      for (int j = 0; j < dim; j++) {
        body.append(j == 0 ? "" : ",").append(v[j]);
      }
      body.append(']');
    }
    body.append(batch == 1 ? "" : "]").append(",\"k\":").append(k).append('}');
    send(head, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one request of {@code head} and {@code body}, reads and checks its answer. */
  private void send(String requestHead, byte[] b) throws IOException {
    ByteArrayOutputStream req = new ByteArrayOutputStream(b.length + 256);
    req.writeBytes(
        (requestHead + "Content-Length: " + b.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    req.writeBytes(b);
    out.write(req.toByteArray());
    out.flush();
    JsonNode results = JSON.readTree(readAnswer()).path("results");
    if (results.size() != batch) {
      throw new IOException("search returned " + results.size() + " lists, expected " + batch);
    }
    for (JsonNode hits : results) {
      if (hits.size() != k) {
        throw new IOException("search returned " + hits.size() + " hits, expected " + k);
      }
    }
  }

  /** Status line, headers and the body of a 200 answer; any other status is an IOException. */
  private byte[] readAnswer() throws IOException {
    // a closed connection also shows 0 available: after a second of polling, block in read
    long pollUntil = poll ? System.nanoTime() + POLL_NANOS : 0;
    while (poll && in.available() == 0 && System.nanoTime() - pollUntil < 0) {
      Thread.yield();
    }
    String status = line();
    int length = -1;
    for (String h = line(); !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("chunked answers are not supported by this client: " + h);
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length: " + status);
    }
    byte[] answer = in.readNBytes(length);
    if (answer.length != length || !status.startsWith("HTTP/1.1 200")) {
      throw new IOException(status + ": " + new String(answer, StandardCharsets.UTF_8));
    }
    return answer;
  }

  /** One header line without its CRLF. */
  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-answer");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
