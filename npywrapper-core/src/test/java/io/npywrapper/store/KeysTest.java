package io.npywrapper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "npyw.json",
        "coll/_manifests/v00000000000000000001.json",
        "coll/segments/0195-abc/attr.price.npy",
        "A-Z_a.z=0+9@x,y",
        "a/b.c/d..e/f.",
      })
  void acceptsValidKeys(String key) {
    assertEquals(key, Keys.check(key));
    assertTrue(Keys.isValid(key));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|must not be empty",
        "/a|must not start with '/'",
        "a/|must not end with '/'",
        "a//b|empty segment at index 2",
        ".|'.' segment at index 0",
        "a/../b|'..' segment at index 2",
        ".hidden|segment '.hidden' at index 0 starts with '.'",
        "a/.b.123.tmp|segment '.b.123.tmp' at index 2 starts with '.'",
        "a\\b|backslash at index 1",
        "a b|contains ' ' (U+0020) at index 1; allowed are ASCII letters, digits, '/' and _-.=+@,",
        "a:b|contains ':' (U+003A)",
        "caf\u00e9|contains '\u00e9' (U+00E9)",
      })
  void namesTheKeyAndTheRuleBroken(String key, String rule) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Keys.check(key));
    assertTrue(e.getMessage().startsWith("invalid key '" + key + "': "), e.getMessage());
    assertTrue(e.getMessage().contains(rule), e.getMessage());
    assertFalse(Keys.isValid(key));
  }

  @Test
  void controlCharactersAreEscapedInTheMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Keys.check("a\u0000b"));
    assertEquals(
        "invalid key 'a\\u0000b': contains control character U+0000 at index 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Keys.check("a\tb"));
    assertTrue(e.getMessage().contains("U+0009"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Keys.check("a\u007fb"));
    assertTrue(e.getMessage().contains("U+007F"), e.getMessage());
  }

  @Test
  void lengthLimits() {
    String seg = "s".repeat(Keys.MAX_SEGMENT_LENGTH);
    assertTrue(Keys.isValid(seg));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Keys.check("a/" + seg + "s"));
    assertTrue(e.getMessage().contains("segment at index 2 is 256 characters long; at most 255"));
    String longest = (seg + "/").repeat(3) + "u".repeat(254) + "/v";
    assertEquals(Keys.MAX_LENGTH, longest.length());
    assertTrue(Keys.isValid(longest));
    e = assertThrows(IllegalArgumentException.class, () -> Keys.check(longest + "d"));
    assertTrue(e.getMessage().contains("is 1025 characters long; at most 1024"), e.getMessage());
    assertTrue(e.getMessage().contains("..."), "a long key is shortened in the message");
    assertThrows(NullPointerException.class, () -> Keys.check(null));
    assertFalse(Keys.isValid(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "a/", "a/b", "a/b/", "a/.", "a/.partial", "coll/_manifests/v"})
  void acceptsPrefixes(String prefix) {
    assertEquals(prefix, Keys.checkPrefix(prefix));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "a//", "a/../b", "../", "./a", ".x/", "a b", "a\\"})
  void rejectsPrefixesNoKeyCouldHave(String prefix) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Keys.checkPrefix(prefix));
    assertTrue(e.getMessage().startsWith("invalid prefix '" + prefix + "': "), e.getMessage());
  }
}
