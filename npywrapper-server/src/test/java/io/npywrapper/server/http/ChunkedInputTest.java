package io.npywrapper.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunked request bodies: decoding, where the body ends, and framing errors. */
class ChunkedInputTest {
  @RepeatedTest(20)
  void decodesRandomChunkingsAndStopsAtTheBodysEnd() throws IOException {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    byte[] data = new byte[rnd.nextInt(5000)];
    rnd.nextBytes(data);
    StringBuilder wire = new StringBuilder();
    int at = 0;
    while (at < data.length) {
      int n = Math.min(data.length - at, 1 + rnd.nextInt(700));
      wire.append(Integer.toHexString(n)).append(rnd.nextBoolean() ? ";ext=1" : "").append("\r\n");
      wire.append(new String(data, at, n, StandardCharsets.ISO_8859_1)).append("\r\n");
      at += n;
    }
    wire.append("0\r\nTrailer-Field: x\r\n\r\nNEXT");
    WireInput in = RequestHeadTest.wire(wire.toString(), 1 + rnd.nextInt(64));
    ChunkedInput body = new ChunkedInput(in);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[1 + rnd.nextInt(300)];
    for (int r = body.read(buf, 0, buf.length); r >= 0; r = body.read(buf, 0, buf.length)) {
      got.write(buf, 0, r);
    }
    assertArrayEquals(data, got.toByteArray(), "seed " + seed);
    assertTrue(body.finished());
    assertEquals("NEXT", new String(in.readAllBytes(), StandardCharsets.US_ASCII), "seed " + seed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x\r\n",
        "\r\n",
        "-1\r\n",
        "1000000000000000\r\n",
        "3\r\nabcd\r\n0\r\n\r\n",
        "3 4\r\nabc\r\n0\r\n\r\n"
      })
  void framingErrorsAre400(String wire) {
    ChunkedInput body = new ChunkedInput(RequestHeadTest.wire(wire, 16));
    HttpProtocolException e = assertThrows(HttpProtocolException.class, () -> body.readAllBytes());
    assertEquals(400, e.status());
  }

  @Test
  void endOfStreamMidChunkIsAnEof() {
    ChunkedInput body = new ChunkedInput(RequestHeadTest.wire("a\r\nabc", 16));
    assertThrows(EOFException.class, body::readAllBytes);
  }

  @Test
  void skipRestDropsABodyUpToALimit() throws IOException {
    String wire = "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n";
    assertTrue(new ChunkedInput(RequestHeadTest.wire(wire, 16)).skipRest(100));
    BodyInput fixed = new BodyInput.Fixed(RequestHeadTest.wire("x".repeat(100_000), 512), 100_000);
    assertTrue(!fixed.skipRest(10_000));
    assertTrue(!fixed.finished());
  }
}
