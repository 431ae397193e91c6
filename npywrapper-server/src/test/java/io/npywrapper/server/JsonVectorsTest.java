package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonVectors} reads the same floats as the tree parser, and a body parsed with it ({@link
 * JsonBody#parseWithVectors}) has the same fields, values and errors as one parsed whole ({@link
 * JsonBody#parse}), for valid bodies and for bodies broken at random.
 */
class JsonVectorsTest {
  private static final Set<String> FIELDS =
      Set.of("vector", "vectors", "k", "filter", "select", "exact", "version");
  private static final Limits LIMITS = Limits.DEFAULT.withMaxBatch(3);

  @Test
  void valuesEqualTheTreeParsersBitForBit() {
    Random r = new Random(7);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      texts.add(number(r));
    }
    for (int i = 0; i < 3_000; i++) { // at and around the midpoints between two floats
      float f = Float.intBitsToFloat(r.nextInt() & 0x7f7fffff);
      double mid = ((double) f + Math.nextUp(f)) / 2;
      texts.add(Double.toString(mid));
      texts.add(Double.toString(Math.nextUp(mid)));
      texts.add(Double.toString(Math.nextDown(mid)));
      texts.add(String.format("%.16e", mid));
      if (i % 100 == 0) {
        texts.add(new java.math.BigDecimal(mid).toString());
      }
    }
    texts.addAll(
        List.of(
            "0",
            "-0",
            "0.0",
            "-0.0",
            "0e0",
            "-0E+0",
            "-0.000e-5",
            "1E22",
            "1e23",
            "-1e-22",
            "1e-23",
            "9007199254740992",
            "9007199254740993",
            "9007199254740993.0",
            "123456789012345678",
            "1234567890123456789",
            "-9223372036854775808",
            "12345678901234567890123",
            "0.000000000000000000000001234",
            "4.9e-324",
            "1e-46",
            "3.4028235E38",
            "3.4028235677973366E38",
            "1.4E-45",
            "7.006492321624085E-46",
            "0.1",
            "100000000000000000000000e-20",
            "1e0000000000000000000001"));
    for (String t : texts) {
      byte[] body = ("{\"vector\":[" + t + "]}").getBytes(StandardCharsets.UTF_8);
      JsonVectors.Split split = JsonVectors.split(body, 1, 1);
      float tree;
      try {
        tree = JsonBody.parse(body, FIELDS).vector("vector", 1, true)[0];
      } catch (ApiException e) { // beyond float32's range: left to the tree, which refuses it
        assertEquals("non_finite_value", e.code(), t);
        assertNull(split, t);
        continue;
      }
      if (t.length() > 64) { // left to the tree, which limits the length of numbers
        assertNull(split, t);
        continue;
      }
      assertNotNull(split, t);
      assertEquals(Float.floatToIntBits(tree), Float.floatToIntBits(split.vectors()[0][0]), t);
    }
  }

  @Test
  void readsTheVectorFieldAndLeavesTheRestToTheTree() {
    byte[] body =
        "{ \"k\" : 5, \"filter\": \"name = '[vector]'\", \"vector\" : [ 1, -2.5e1 ,3 ] , \"exact\":true }"
            .getBytes(StandardCharsets.UTF_8);
    JsonVectors.Split s = JsonVectors.split(body, 3, 10);
    assertNotNull(s);
    assertEquals("vector", s.field());
    assertArrayEquals(new float[] {1, -25, 3}, s.vectors()[0]);
    assertEquals(
        "{ \"k\" : 5, \"filter\": \"name = '[vector]'\", \"vector\" : null , \"exact\":true }",
        new String(s.rest(), StandardCharsets.UTF_8));

    JsonVectors.Split many =
        JsonVectors.split("{\"vectors\":[[1,2],[3,4]]}".getBytes(StandardCharsets.UTF_8), 2, 2);
    assertNotNull(many);
    assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, many.vectors());
    assertEquals("{\"vectors\":null}", new String(many.rest(), StandardCharsets.UTF_8));
  }

  @Test
  void leavesToTheTreeWhatItDoesNotRead() {
    for (String body :
        List.of(
            "{\"vector\":[1,2,NaN]}",
            "{\"vector\":[1,2,1e39]}",
            "{\"vector\":[1,2]}",
            "{\"vector\":[1,2,3,4]}",
            "{\"vector\":[1,2,\"3\"]}",
            "{\"vector\":[1,2,03]}",
            "{\"vector\":[1,2,.3]}",
            "{\"vector\":[1,2,3.]}",
            "{\"vector\":[1,2,+3]}",
            "{\"vector\":[1,2,3." + "0".repeat(63) + "]}",
            "{\"vec\\u0074or\":[1,2,3]}",
            "{\"vectors\":[]}",
            "{\"vectors\":[[1,2,3],[1,2,3],[1,2,3]]}",
            "{\"k\":1}",
            "[1,2,3]",
            "")) {
      assertNull(JsonVectors.split(body.getBytes(StandardCharsets.UTF_8), 3, 2), body);
    }
  }

  @Test
  void longNumbersAndNonFiniteValuesAreTheTrees() {
    String zeros = "0".repeat(1000);
    byte[] tooLong = ("{\"vector\":[1." + zeros + ",2,3]}").getBytes(StandardCharsets.UTF_8);
    String tree = outcome(() -> JsonBody.parse(tooLong, FIELDS));
    assertTrue(tree.startsWith("400 malformed_json"), tree); // the tree refuses 1,000+ characters
    assertEquals(tree, outcome(() -> JsonBody.parseWithVectors(tooLong, FIELDS, 3, LIMITS)));
    byte[] longButFine =
        ("{\"vector\":[1." + zeros.substring(0, 63) + ",2,3]}").getBytes(StandardCharsets.UTF_8);
    assertNull(JsonVectors.split(longButFine, 3, 1));
    assertEquals(
        outcome(() -> JsonBody.parse(longButFine, FIELDS)),
        outcome(() -> JsonBody.parseWithVectors(longButFine, FIELDS, 3, LIMITS)));

    // a collection that allows non-finite values: NaN is left to the tree, which keeps it
    byte[] nan = "{\"vectors\":[[1,NaN,3]]}".getBytes(StandardCharsets.UTF_8);
    float[] v =
        JsonBody.parseWithVectors(nan, FIELDS, 3, LIMITS).vectors("vectors", 3, false, LIMITS)[0];
    assertArrayEquals(new float[] {1, Float.NaN, 3}, v);
  }

  @Test
  void aBrokenRestIsTheTreesError() {
    for (String body :
        List.of(
            "{\"vector\":[1,2,3]} x",
            "{\"vector\":[1,2,3],}",
            "{\"k\":tru,\"vector\":[1,2,3]}",
            "{\"vector\":[1,2,3],\"vector\":[1,2,3]}")) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertNotNull(JsonVectors.split(bytes, 3, 1), body);
      String tree = outcome(() -> JsonBody.parse(bytes, FIELDS));
      assertTrue(tree.startsWith("400 malformed_json malformed JSON at line 1, column"), tree);
      assertEquals(tree, outcome(() -> JsonBody.parseWithVectors(bytes, FIELDS, 3, LIMITS)));
    }
  }

  @Test
  void brokenAndValidBodiesGiveWhatTheTreeGives() {
    Random r = new Random(11);
    int read = 0;
    for (int i = 0; i < 30_000; i++) {
      String body = body(r);
      if (r.nextBoolean()) {
        body = mutate(body, r);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertEquals(
          outcome(() -> JsonBody.parse(bytes, FIELDS)),
          outcome(() -> JsonBody.parseWithVectors(bytes, FIELDS, 3, LIMITS)),
          body);
      if (JsonVectors.split(bytes, 3, LIMITS.maxBatch()) != null) {
        read++;
      }
    }
    assertTrue(read > 5_000, "too few bodies read ahead to mean anything: " + read);
  }

  private static String outcome(java.util.function.Supplier<JsonBody> parse) {
    JsonBody b;
    try {
      b = parse.get();
    } catch (ApiException e) {
      return e.status() + " " + e.code() + " " + e.getMessage();
    }
    StringBuilder out = new StringBuilder();
    for (String f : new TreeSet<>(FIELDS)) {
      out.append(f).append('=');
      if (!b.has(f)) {
        out.append("-");
      } else if (f.equals("vector") || f.equals("vectors")) {
        try {
          float[][] v =
              f.equals("vector")
                  ? new float[][] {b.vector(f, 3, true)}
                  : b.vectors(f, 3, true, LIMITS);
          for (float[] x : v) {
            int[] bits = new int[x.length];
            for (int j = 0; j < x.length; j++) {
              bits[j] = Float.floatToIntBits(x[j]);
            }
            out.append(Arrays.toString(bits));
          }
        } catch (ApiException e) {
          out.append(e.getMessage());
        }
      } else {
        out.append(b.get(f));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** A search-like body: some fields in random order, random white space. */
  private static String body(Random r) {
    List<String> fields = new ArrayList<>();
    if (r.nextInt(10) < 8) {
      fields.add(r.nextInt(4) == 0 ? "\"vectors\":" + vectors(r) : "\"vector\":" + vector(r));
    }
    if (r.nextBoolean()) {
      fields.add("\"k\":" + (r.nextInt(5) == 0 ? "\"7\"" : String.valueOf(r.nextInt(20))));
    }
    if (r.nextBoolean()) {
      fields.add("\"filter\":\"tag = 'a\\\"]}[{,vector' AND n > 1\"");
    }
    if (r.nextBoolean()) {
      fields.add("\"select\":[\"tag\", \"n\"]");
    }
    if (r.nextInt(4) == 0) {
      fields.add("\"exact\":" + r.nextBoolean());
    }
    if (r.nextInt(6) == 0) {
      fields.add("\"version\":{\"nested\":[1,[2,{\"vector\":[3]}]]}");
    }
    if (r.nextInt(10) == 0) {
      fields.add("\"unknown\":null");
    }
    if (r.nextInt(10) == 0) {
      fields.add("\"vector\":" + vector(r));
    }
    java.util.Collections.shuffle(fields, r);
    return space(r)
        + "{"
        + space(r)
        + String.join(space(r) + "," + space(r), fields)
        + space(r)
        + "}"
        + space(r);
  }

  private static String vectors(Random r) {
    int n = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(r.nextInt(5) == 0 ? 5 : 3);
    List<String> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vs.add(vector(r));
    }
    return "[" + space(r) + String.join("," + space(r), vs) + space(r) + "]";
  }

  private static String vector(Random r) {
    int n = r.nextInt(12) == 0 ? 2 + r.nextInt(3) : 3;
    List<String> xs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      xs.add(r.nextInt(30) == 0 ? bad(r) : number(r));
    }
    return "[" + space(r) + String.join(space(r) + "," + space(r), xs) + space(r) + "]";
  }

  private static String bad(Random r) {
    String[] bad = {
      "NaN",
      "Infinity",
      "-Infinity",
      "1e39",
      "-1e400",
      "01",
      "1.",
      ".5",
      "+1",
      "-",
      "\"1\"",
      "null",
      "true",
      "[1]",
      "{}",
      "1e",
      "1e+",
      "0x10",
      "1_0"
    };
    return bad[r.nextInt(bad.length)];
  }

  private static String number(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> Float.toString((float) r.nextGaussian());
      case 1 -> Double.toString((double) (float) r.nextGaussian()); // Python's tolist() texts
      case 2 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(60) - 30));
      case 3 -> Float.toString(Float.intBitsToFloat(r.nextInt() & 0x7f7fffff));
      case 4 -> String.format("%.17e", r.nextDouble() - 0.5);
      case 5 -> String.valueOf(r.nextLong() >> r.nextInt(64));
      case 6 -> (r.nextBoolean() ? "-" : "") + "0" + (r.nextBoolean() ? ".0" : "");
      case 7 ->
          r.nextInt(1000)
              + "."
              + "0".repeat(r.nextInt(25))
              + r.nextInt(10)
              + "e"
              + (r.nextInt(80) - 40);
      default -> String.format("%." + r.nextInt(12) + "f", (r.nextDouble() - 0.5) * 100);
    };
  }

  private static String space(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\n\t ";
      case 2 -> "\r\n";
      default -> "";
    };
  }

  /** One random edit: a byte removed, inserted or changed, a piece repeated or cut off. */
  private static String mutate(String s, Random r) {
    if (s.isEmpty()) {
      return "{";
    }
    String alphabet = "{}[],:\"\\ 0123456789.-+eENa\u00e9\u0001";
    int at = r.nextInt(s.length());
    char c = alphabet.charAt(r.nextInt(alphabet.length()));
    return switch (r.nextInt(5)) {
      case 0 -> s.substring(0, at) + s.substring(at + 1);
      case 1 -> s.substring(0, at) + c + s.substring(at);
      case 2 -> s.substring(0, at) + c + s.substring(at + 1);
      case 3 -> s.substring(0, at) + s.substring(at / 2, at) + s.substring(at);
      default -> s.substring(0, at);
    };
  }
}
