package io.npywrapper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrantsTest {
  @Test
  void adminImpliesWriteImpliesRead() {
    assertTrue(Permission.ADMIN.implies(Permission.WRITE));
    assertTrue(Permission.ADMIN.implies(Permission.READ));
    assertTrue(Permission.WRITE.implies(Permission.READ));
    assertTrue(Permission.READ.implies(Permission.READ));
    assertFalse(Permission.READ.implies(Permission.WRITE));
    assertFalse(Permission.WRITE.implies(Permission.ADMIN));
    assertEquals(Permission.WRITE, Permission.parse(" Write "));
    assertThrows(IllegalArgumentException.class, () -> Permission.parse("owner"));
  }

  @Test
  void patternsMatchExactNamesPrefixesAndEverything() {
    Grant exact = Grant.parse("docs:read");
    assertTrue(exact.matches("docs"));
    assertFalse(exact.matches("docs2"));
    assertFalse(exact.matches("doc"));
    Grant prefix = Grant.parse("logs_*:write");
    assertTrue(prefix.matches("logs_2026"));
    assertTrue(prefix.matches("logs_"));
    assertFalse(prefix.matches("logs"));
    assertFalse(prefix.matches("xlogs_1"));
    assertTrue(prefix.allows("logs_a", Permission.READ));
    assertTrue(prefix.allows("logs_a", Permission.WRITE));
    assertFalse(prefix.allows("logs_a", Permission.ADMIN));
    Grant all = Grant.parse("*:admin");
    assertTrue(all.allows("anything", Permission.ADMIN));
    assertEquals("logs_*:write", prefix.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":read",
        "docs",
        "docs:",
        "a*b:read",
        "**:read",
        "_x:read",
        "x y:read",
        "docs:owner",
        "*x:read"
      })
  void badGrantsAreRejectedNamingTheText(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Grant.parse(text));
    assertTrue(e.getMessage().contains("'"), e.getMessage());
  }

  @Test
  void rolesDenyWhatTheyDoNotGrant() {
    Role r = new Role("team", List.of(Grant.parse("a:write"), Grant.parse("b_*:read")), false);
    assertTrue(r.allows("a", Permission.WRITE));
    assertFalse(r.allows("a", Permission.ADMIN));
    assertTrue(r.allows("b_1", Permission.READ));
    assertFalse(r.allows("b_1", Permission.WRITE));
    assertFalse(r.allows("c", Permission.READ));
    Role none = new Role("none", List.of(), false);
    assertFalse(none.allows("a", Permission.READ));
    assertTrue(Role.READER.allows("x", Permission.READ));
    assertFalse(Role.READER.allows("x", Permission.WRITE));
    assertTrue(Role.WRITER.allows("x", Permission.WRITE));
    assertFalse(Role.WRITER.allows("x", Permission.ADMIN));
    assertTrue(Role.ADMIN.allows("x", Permission.ADMIN) && Role.ADMIN.manageSecurity());
    assertThrows(IllegalArgumentException.class, () -> new Role("bad name", List.of(), false));
  }
}
