package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  @Test
  void tokensRoundTripAndHashesVerify() {
    String id = ApiKeys.newId();
    byte[] secret = ApiKeys.newSecret();
    String token = ApiKeys.token(id, secret);
    assertEquals(5 + 16 + 1 + 43, token.length());
    ApiKeys.Parsed p = ApiKeys.parse(token);
    assertEquals(id, p.id());
    assertArrayEquals(secret, p.secret());
    byte[] salt = ApiKeys.newSalt();
    byte[] hash = ApiKeys.hash(salt, secret);
    assertTrue(ApiKeys.verify(salt, hash, secret));
    byte[] other = secret.clone();
    other[31] ^= 1;
    assertFalse(ApiKeys.verify(salt, hash, other));
    assertFalse(ApiKeys.verify(ApiKeys.newSalt(), hash, secret));
  }

  @Test
  void hashIsSha256OfSaltThenSecretAcrossThreads() throws Exception {
    // FIPS 180-2 test vector: SHA-256("abc"), split as salt "ab" then secret "c".
    byte[] expected =
        HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    byte[] salt = "ab".getBytes(StandardCharsets.US_ASCII);
    byte[] secret = "c".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(expected, ApiKeys.hash(salt, secret));
    assertArrayEquals(expected, ApiKeys.hash(salt, secret), "a second digest starts fresh");
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Boolean>> all = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        all.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    if (!ApiKeys.verify(salt, expected, secret)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : all) {
        assertTrue(f.get(), "a concurrent digest gave a different hash");
      }
    }
  }

  @Test
  void badTokensSayWhatIsWrong() {
    String good = ApiKeys.token("0123456789abcdef", new byte[32]);
    assertMessage(null, "no API key");
    assertMessage("", "no API key");
    assertMessage("Bearer " + good, "start with 'npyw_'");
    assertMessage(good + "x", "expected 65 characters");
    assertMessage(good.substring(0, 60), "expected 65 characters");
    assertMessage(good.replace("0123456789abcdef", "0123456789ABCDEF"), "16 lower-case hex");
    assertMessage("npyw_0123456789abcdef-" + good.substring(22), "expected '_'");
    assertMessage(good.substring(0, 64) + "!", "base64url characters");
    // 'B' as the last of 43 characters sets bits beyond the 256 of the secret
    assertMessage(good.substring(0, 64) + "B", "does not encode 32 bytes");
  }

  private static void assertMessage(String token, String expected) {
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> ApiKeys.parse(token));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @RepeatedTest(50)
  void mutatedTokensNeverEchoTheSecret(RepetitionInfo info) {
    Seeds.run(
        info.getCurrentRepetition(),
        rnd -> {
          byte[] secret = new byte[32];
          rnd.nextBytes(secret);
          String token = ApiKeys.token(ApiKeys.newId(), secret);
          String secretText = token.substring(22);
          char[] c = token.toCharArray();
          int pos = rnd.nextInt(c.length);
          c[pos] = (char) (rnd.nextInt(95) + 32);
          String bad = rnd.nextBoolean() ? new String(c) : new String(c, 0, rnd.nextInt(c.length));
          try {
            ApiKeys.parse(bad);
          } catch (AuthenticationException e) {
            assertFalse(e.getMessage().contains(secretText.substring(0, 12)), e.getMessage());
          }
        });
  }
}
