package io.npywrapper.bench;

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
 * the HTTP overhead from the JDK client's: one blocking socket (TCP_NODELAY, kept alive), each
 * request written in one piece from bytes encoded before the pass ({@link Requests}, as a load
 * generator such as wrk sends prepared requests), the answer read on the calling thread (status
 * line, headers, a {@code Content-Length} body), then read and checked for {@code k} hits per list
 * ({@link SearchJson#countHits}). No thread hand-offs on the client side. Not thread-safe: one per
 * client thread.
 */
final class RawHttpSearcher implements ClientPass.Op {
  /** Longest polling for one answer before falling back to a blocking read. */
  private static final long POLL_NANOS = 1_000_000_000L;

  /**
   * Every request a client may send, head and body, encoded once and shared by the client threads
   * of a way, so that a pass measures the exchange and the server rather than the client turning
   * 128 floats into text (about 7 µs a query here). Request {@code q} carries query vectors {@code
   * q} to {@code q + batch - 1}, wrapping around. The arrays are not modified once built.
   *
   * @param bytes the requests by query number
   * @param healthz true for {@code GET /healthz}, whose answer is checked for "ok"
   * @param batch query vectors per request
   * @param k hits expected per query vector
   */
  record Requests(byte[][] bytes, boolean healthz, int batch, int k) {
    /** The most bytes of prepared requests {@link #search} builds. */
    private static final long MAX_BYTES = 1L << 30;

    /** Longest text of one float in a JSON body, with its comma: "-1.23456789E-10,". */
    private static final int JSON_FLOAT_BYTES = 16;

    /**
     * Refuses {@code queries} requests of {@code batch} vectors of {@code dim} floats when
     * preparing them would take over 1 GiB (as JSON, the larger of the two forms).
     *
     * @throws IllegalArgumentException naming {@code --queries}, {@code --batch} and {@code --dim}
     */
    static void checkSize(int queries, int batch, int dim) {
      long bytes = (long) queries * batch * dim * JSON_FLOAT_BYTES;
      if (bytes > MAX_BYTES) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "--queries %d x --batch %d at --dim %d needs about %,d MB of prepared requests per"
                    + " way, at most %,d: lower one of them",
                queries,
                batch,
                dim,
                bytes >> 20,
                MAX_BYTES >> 20));
      }
    }

    /** {@code GET /healthz}: one exchange with no JSON to parse and no search. */
    static Requests healthz(URI base, String token) {
      return new Requests(
          new byte[][] {request(head("GET /healthz", base, token), null)}, true, 0, 0);
    }

    /**
     * Searches of {@code collection} for {@code k} hits, {@code batch} query vectors each, as JSON
     * ({@code "vector"}, or a {@code "vectors"} array) or, with {@code npy}, as a binary {@code
     * .npy} body ({@code Content-Type: application/x-npy}, k in the query string).
     */
    static Requests search(
        URI base,
        String collection,
        String token,
        int k,
        float[][] queries,
        int batch,
        boolean npy) {
      checkSize(queries.length, batch, queries[0].length);
      String path = "POST /v1/collections/" + collection + "/search";
      String head =
          npy
              ? head(path + "?k=" + k, base, token) + "Content-Type: application/x-npy\r\n"
              : head(path, base, token) + "Content-Type: application/json\r\n";
      byte[][] bytes = new byte[queries.length][];
      for (int q = 0; q < queries.length; q++) {
        bytes[q] =
            request(head, npy ? npyBody(queries, q, batch) : SearchJson.body(queries, q, batch, k));
      }
      return new Requests(bytes, false, batch, k);
    }

    private static String head(String requestLine, URI base, String token) {
      return requestLine
          + " HTTP/1.1\r\nHost: "
          + base.getHost()
          + ":"
          + base.getPort()
          + "\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n");
    }

    private static byte[] request(String head, byte[] body) {
      ByteArrayOutputStream req = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
      String length = body == null ? "" : "Content-Length: " + body.length + "\r\n";
      req.writeBytes((head + length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        req.writeBytes(body);
      }
      return req.toByteArray();
    }

    private static byte[] npyBody(float[][] queries, int q, int batch) {
      int dim = queries[q].length;
      float[] flat = new float[batch * dim];
      for (int i = 0; i < batch; i++) {
        System.arraycopy(queries[(q + i) % queries.length], 0, flat, i * dim, dim);
      }
      return batch == 1 ? NpyWriter.encode(flat, dim) : NpyWriter.encode(flat, batch, dim);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final Requests requests;
  private boolean poll;

  /** A client connected to {@code base}, sending {@code requests}. */
  RawHttpSearcher(URI base, Requests requests) throws IOException {
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
    socket.setSoTimeout(60_000);
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.requests = requests;
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
    out.write(requests.bytes()[q % requests.bytes().length]);
    out.flush();
    byte[] answer = readAnswer();
    if (requests.healthz()) {
      if (!new String(answer, StandardCharsets.UTF_8).contains("ok")) {
        throw new IOException("healthz answered " + new String(answer, StandardCharsets.UTF_8));
      }
      return;
    }
    int lists = SearchJson.countHits(answer, requests.k());
    if (lists != requests.batch()) {
      throw new IOException("search returned " + lists + " lists, expected " + requests.batch());
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
