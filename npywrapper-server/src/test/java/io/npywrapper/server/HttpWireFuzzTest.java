package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the wire: valid requests mutated (bytes flipped, dropped, duplicated, CR/LF and
 * digits inserted, cut short) are written raw to the real server, each on a fresh connection. Every
 * answer must be a well-formed HTTP/1.1 answer with a status under 500 (or 501/505 for what the
 * transport does not support), never a hang, and the server must answer a valid search afterwards.
 */
class HttpWireFuzzTest {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  @TempDir Path dir;

  @Test
  void mutatedRequestsGetClearAnswersAndTheServerStaysUp() throws Exception {
    long seed = Long.getLong("fuzz.seed", new Random().nextLong());
    Random rnd = new Random(seed);
    try (TestServer s = new TestServer(dir)) {
      assertEquals(201, s.post("/v1/collections", "{\"name\":\"t\",\"dim\":3}").status());
      assertEquals(
          200,
          s.post("/v1/collections/t/rows", "{\"ids\":[1,2],\"vectors\":[[1,2,3],[4,5,6]]}")
              .status());
      List<byte[]> valid = validRequests(s.adminToken());
      int port = s.server.port();
      int answered = 0;
      for (int i = 0; i < 400; i++) {
        byte[] req = mutate(valid.get(rnd.nextInt(valid.size())), rnd);
        String answers = exchange(port, req);
        Matcher m = STATUS.matcher(answers);
        while (m.find()) {
          int status = Integer.parseInt(m.group(1));
          answered++;
          assertTrue(
              status < 500 || status == 501 || status == 505,
              "seed " + seed + ", case " + i + ": " + answers + "\nfor\n" + show(req));
        }
      }
      assertTrue(answered > 100, "seed " + seed + ": only " + answered + " answers");
      TestServer.Reply after = s.post("/v1/collections/t/search", "{\"vector\":[1,2,3],\"k\":1}");
      assertEquals(200, after.status(), "seed " + seed + ": " + after.body());
    }
  }

  private static List<byte[]> validRequests(String token) {
    String auth = "Authorization: Bearer " + token + "\r\n";
    String search = "{\"vector\":[1,2,3],\"k\":2,\"filter\":\"id > 0\"}";
    String rows = "{\"ids\":[7],\"vectors\":[[0.5,1,2]]}";
    List<String> reqs = new ArrayList<>();
    reqs.add(
        "POST /v1/collections/t/search HTTP/1.1\r\nHost: h\r\n"
            + auth
            + "Content-Type: application/json\r\nContent-Length: "
            + search.length()
            + "\r\n\r\n"
            + search);
    reqs.add(
        "POST /v1/collections/t/rows HTTP/1.1\r\nHost: h\r\n"
            + auth
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(rows.length())
            + "\r\n"
            + rows
            + "\r\n0\r\n\r\n");
    reqs.add("GET /v1/collections/t?x=1 HTTP/1.1\r\nHost: h\r\n" + auth + "\r\n");
    reqs.add("GET /healthz HTTP/1.0\r\n\r\nGET /v1/collections HTTP/1.1\r\n" + auth + "\r\n");
    return reqs.stream().map(r -> r.getBytes(StandardCharsets.ISO_8859_1)).toList();
  }

  private static byte[] mutate(byte[] in, Random rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] noise = {'\r', '\n', ' ', ':', '0', '9', 'f', '-', ';', 0, (byte) 0xff, '%', '?', '#'};
    int edits = 1 + rnd.nextInt(4);
    int cut = rnd.nextInt(10) == 0 ? rnd.nextInt(in.length) : in.length;
    for (int i = 0; i < cut; i++) {
      if (rnd.nextInt(in.length) < edits) {
        switch (rnd.nextInt(4)) {
          case 0 -> out.write(noise[rnd.nextInt(noise.length)]);
          case 1 -> {} // dropped
          case 2 -> {
            out.write(in[i]);
            out.write(in[i]);
          }
          default -> out.write(in[i] ^ (1 << rnd.nextInt(8)));
        }
        if (rnd.nextInt(3) > 0) {
          continue;
        }
      }
      out.write(in[i]);
    }
    return out.toByteArray();
  }

  /** Writes {@code req}, half-closes, and reads everything the server answers until it closes. */
  private static String exchange(int port, byte[] req) throws IOException {
    try (Socket sock = new Socket("127.0.0.1", port)) {
      sock.setSoTimeout(15_000);
      sock.getOutputStream().write(req);
      sock.shutdownOutput();
      InputStream in = sock.getInputStream();
      try {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer and no close within 15 s for\n" + show(req), e);
      } catch (IOException reset) {
        return ""; // reset after the answer: nothing more to check
      }
    }
  }

  private static String show(byte[] req) {
    return new String(req, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n");
  }
}
