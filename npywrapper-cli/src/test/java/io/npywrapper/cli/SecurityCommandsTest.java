package io.npywrapper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npywrapper.Database;
import io.npywrapper.collection.CollectionSpec;
import io.npywrapper.search.Metric;
import io.npywrapper.security.AccessDeniedException;
import io.npywrapper.security.AuthenticationException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code npyw users}, {@code roles}, {@code keys} and {@code audit}, end to end. */
class SecurityCommandsTest {
  @TempDir Path dir;

  private String store() {
    return dir.resolve("store").toString();
  }

  private Cli npyw(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = store();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all);
  }

  private Cli ok(String... args) {
    Cli r = npyw(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
    return r;
  }

  private Cli fails(String expected, String... args) {
    Cli r = npyw(args);
    assertEquals(1, r.exitCode(), String.join(" ", args) + ": " + r.out());
    assertTrue(r.err().contains(expected), r.err());
    return r;
  }

  @Test
  void usersRolesAndKeysWorkThroughTheEmbeddedApi() throws Exception {
    try (Database db = Database.open(store())) {
      db.create(CollectionSpec.of("logs_1", 2, Metric.L2));
      db.create(CollectionSpec.of("docs", 2, Metric.L2));
    }
    Cli role = ok("roles", "put", "logwriter", "--grant", "logs_*:write", "--grant", "docs:read");
    assertEquals("role logwriter: logs_*:write docs:read\n", role.out());
    ok("users", "add", "alice", "--role", "logwriter");
    Cli users = ok("users", "list");
    assertTrue(users.out().matches("(?s)USER .*\nalice +enabled .* logwriter\n"), users.out());
    Cli roles = ok("roles", "list");
    assertTrue(roles.out().contains("reader                   built-in  *:read"), roles.out());
    assertTrue(roles.out().contains("admin                    built-in  *:admin +manage-security"));
    assertTrue(roles.out().contains("logwriter                custom    logs_*:write docs:read"));

    Cli created = ok("keys", "create", "alice", "--expires", "30d");
    String token = created.out().strip();
    assertTrue(token.matches("npyw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), token);
    assertTrue(created.err().contains("shown only now and is not stored"), created.err());
    String id = token.substring(5, 21);
    Cli keys = ok("keys", "list", "--user", "alice");
    assertTrue(keys.out().contains(id + "  alice"), keys.out());
    assertTrue(keys.out().contains("active"), keys.out());
    assertFalse(keys.out().contains(token.substring(22)), "never lists the secret");

    try (Database db = Database.open(store(), Database.defaultOptions(), token)) {
      db.collection("logs_1").add(new float[][] {{1, 2}}, 1L);
      assertEquals(0, db.collection("docs").count());
      assertThrows(
          AccessDeniedException.class, () -> db.collection("docs").add(new float[][] {{1, 2}}, 1L));
    }
    ok("users", "set", "alice", "--disable");
    assertTrue(ok("users", "list").out().contains("disabled"));
    assertThrows(
        AuthenticationException.class,
        () -> Database.open(store(), Database.defaultOptions(), token).close());
    ok("users", "set", "alice", "--enable", "--role", "reader");
    Database.open(store(), Database.defaultOptions(), token).close();
    assertEquals("revoked key " + id + "\n", ok("keys", "revoke", id).out());
    assertTrue(ok("keys", "list").out().contains("revoked"));
    assertThrows(
        AuthenticationException.class,
        () -> Database.open(store(), Database.defaultOptions(), token).close());

    Cli audit = ok("audit", "--json");
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = audit.out().lines().map(l -> read(json, l)).toList();
    String cli = "cli:" + System.getProperty("user.name");
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.path("action").asText().equals("role.put")
                        && e.path("principal").asText().equals(cli)),
        audit.out());
    assertTrue(events.stream().anyMatch(e -> e.path("action").asText().equals("key.revoke")));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.path("action").asText().equals("add")
                        && e.path("principal").asText().equals("alice")
                        && e.path("collection").asText().equals("logs_1")));
    assertTrue(events.stream().anyMatch(e -> e.path("outcome").asText().equals("denied")));
    Cli two = ok("audit", "--limit", "2");
    assertEquals(2, two.out().lines().count(), two.out());
    assertTrue(two.out().contains("key.revoke"), "the newest events: " + two.out());

    ok("users", "remove", "alice");
    ok("roles", "remove", "logwriter");
    assertEquals(
        "USER                     STATUS     CREATED              ROLES\n",
        ok("users", "list").out());
  }

  @Test
  void dataChangesOfTheCommandLineAreAuditedUnderTheOsUser() throws Exception {
    Path v = dir.resolve("v.npy");
    io.npywrapper.npy.NpyWriter.write(
        v,
        new float[] {0, 1, 2, 3, 4, 5},
        new long[] {3, 2},
        io.npywrapper.npy.WriteOptions.DEFAULT);
    ok("import", "docs", "--vectors", v.toString());
    ok("props", "docs", "--set", "team=search");
    ok("delete", "docs", "--ids", "1");
    ok("compact", "docs");
    ok("get", "docs", "0"); // reads are not audited
    String cli = "cli:" + System.getProperty("user.name");
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = ok("audit", "--json").out().lines().map(l -> read(json, l)).toList();
    List<String> actions =
        events.stream()
            .filter(e -> e.path("principal").asText().equals(cli))
            .filter(e -> e.path("collection").asText().equals("docs"))
            .map(e -> e.path("action").asText())
            .toList();
    assertEquals(
        List.of("create", "import", "set_properties", "delete", "flush", "compact"), actions);
  }

  private static JsonNode read(ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    fails("invalid grant 'docs'", "roles", "put", "r", "--grant", "docs");
    fails("invalid permission 'owner'", "roles", "put", "r", "--grant", "docs:owner");
    fails("built in", "roles", "put", "admin", "--grant", "docs:read");
    fails("unknown role 'nope'", "users", "add", "bob", "--role", "nope");
    fails("invalid user name", "users", "add", "bad name");
    fails("no user 'ghost'", "keys", "create", "ghost");
    fails("no user 'ghost'", "users", "set", "ghost", "--disable");
    fails("nothing to set", "users", "set", "ghost");
    fails("no API key 'ffffffffffffffff'", "keys", "revoke", "ffffffffffffffff");
    fails("invalid duration '3y'", "keys", "create", "bob", "--expires", "3y");
    fails("--limit must be at least 1", "audit", "--limit", "0");
    ok("users", "add", "bob");
    fails("user 'bob' exists", "users", "add", "bob");
    Cli both = npyw("users", "set", "bob", "--disable", "--enable");
    assertEquals(2, both.exitCode(), both.err());
    ok("users", "list");
    assertFalse(ok("info").out().contains("_security"), "the security prefix is no collection");
  }
}
