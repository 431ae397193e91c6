package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npywrapper.testing.Seeds;
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
