package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Vector values read from JSON are the floats the JDK would read from the same text: the mapper's
 * fast double parser must round exactly as {@link Double#parseDouble} does.
 */
class JsonNumbersTest {
  @Test
  void vectorValuesRoundLikeTheJdk() {
    Random r = new Random(42);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      texts.add(
          switch (i % 4) {
            case 0 -> Float.toString((float) r.nextGaussian());
            case 1 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(60) - 30));
            case 2 -> Float.toString(Float.intBitsToFloat(r.nextInt() & 0x7f7fffff));
            default -> String.format("%.17e", r.nextDouble() - 0.5);
          });
    }
    texts.addAll(
        List.of(
            "1.4E-45",
            "3.4028235E38",
            "1.17549435E-38",
            "0.1",
            "-0.0",
            "123456789012345678901234567890",
            "2.2250738585072014E-308",
            "9007199254740993",
            "1e-400",
            "0.30000000000000004"));
    int dim = texts.size();
    String body = "{\"vector\":[" + String.join(",", texts) + "]}";
    ObjectNode n = Json.parseObject(body.getBytes(StandardCharsets.UTF_8));
    float[] v = JsonValues.vector(n.get("vector"), "vector", dim, true);
    for (int i = 0; i < dim; i++) {
      assertEquals(
          Float.floatToIntBits((float) Double.parseDouble(texts.get(i))),
          Float.floatToIntBits(v[i]),
          texts.get(i));
    }
  }
}
