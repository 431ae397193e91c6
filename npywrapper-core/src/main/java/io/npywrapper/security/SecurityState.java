package io.npywrapper.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One version of the security state: users, custom roles and keys (with their salted hashes), and
 * whether the store was bootstrapped. Each version is one JSON document (docs/FORMAT.md, "Security
 * state"). Immutable: changes return a new state with the next version number.
 */
final class SecurityState {
  static final String FORMAT = "npywrapper-security";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A key as stored: its public facts, salt and hash. */
  record StoredKey(KeyInfo info, byte[] salt, byte[] hash) {}

  final long version;
  final boolean bootstrapped;
  final Map<String, User> users;
  final Map<String, Role> roles;
  final Map<String, StoredKey> keys;

  SecurityState(
      long version,
      boolean bootstrapped,
      Map<String, User> users,
      Map<String, Role> roles,
      Map<String, StoredKey> keys) {
    this.version = version;
    this.bootstrapped = bootstrapped;
    this.users = Map.copyOf(users);
    this.roles = Map.copyOf(roles);
    this.keys = Map.copyOf(keys);
  }

  /** The state before anything was committed (version 0). */
  static SecurityState empty() {
    return new SecurityState(0, false, Map.of(), Map.of(), Map.of());
  }

  /** A role by name: a built-in one or a custom one. */
  Optional<Role> role(String name) {
    for (Role r : Role.BUILT_IN) {
      if (r.name().equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.ofNullable(roles.get(name));
  }

  /** A mutable copy to build the next version from. */
  Draft draft() {
    return new Draft(this);
  }

  /** The next version under construction; not thread-safe. */
  static final class Draft {
    private final long version;
    boolean bootstrapped;
    final TreeMap<String, User> users;
    final TreeMap<String, Role> roles;
    final TreeMap<String, StoredKey> keys;

    private Draft(SecurityState base) {
      this.version = base.version + 1;
      this.bootstrapped = base.bootstrapped;
      this.users = new TreeMap<>(base.users);
      this.roles = new TreeMap<>(base.roles);
      this.keys = new TreeMap<>(base.keys);
    }

    SecurityState build() {
      return new SecurityState(version, bootstrapped, users, roles, keys);
    }
  }

  byte[] toJson(String actor, String change, Instant time, String commitId) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("version", version);
    root.put("commit", commitId);
    root.put("time", time.toString());
    root.put("actor", actor);
    root.put("change", change);
    root.put("bootstrapped", bootstrapped);
    ArrayNode us = root.putArray("users");
    for (User u : new TreeMap<>(users).values()) {
      ObjectNode n = us.addObject();
      n.put("name", u.name());
      ArrayNode rs = n.putArray("roles");
      u.roles().forEach(rs::add);
      n.put("created", u.created().toString());
      n.put("disabled", u.disabled());
    }
    ArrayNode ros = root.putArray("roles");
    for (Role r : new TreeMap<>(roles).values()) {
      ObjectNode n = ros.addObject();
      n.put("name", r.name());
      ArrayNode gs = n.putArray("grants");
      for (Grant g : r.grants()) {
        gs.addObject()
            .put("collection", g.collectionPattern())
            .put("permission", g.permission().label());
      }
      n.put("manage_security", r.manageSecurity());
    }
    ArrayNode ks = root.putArray("keys");
    Base64.Encoder b64 = Base64.getEncoder();
    for (StoredKey k : new TreeMap<>(keys).values()) {
      ObjectNode n = ks.addObject();
      n.put("id", k.info().id());
      n.put("user", k.info().user());
      n.put("created", k.info().created().toString());
      if (k.info().expires().isPresent()) {
        n.put("expires", k.info().expires().get().toString());
      } else {
        n.putNull("expires");
      }
      n.put("revoked", k.info().revoked());
      n.put("salt", b64.encodeToString(k.salt()));
      n.put("sha256", b64.encodeToString(k.hash()));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * Parses a state document.
   *
   * @param source the document's name, for messages
   * @throws SecurityFormatException naming the source and the field when anything is wrong
   */
  static SecurityState parse(byte[] json, String source, long expectedVersion) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SecurityFormatException(source, "not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new SecurityFormatException(source, "not valid JSON");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new SecurityFormatException(source, "not a security state (format '" + FORMAT + "')");
    }
    int fv = root.path("format_version").asInt(-1);
    if (fv != FORMAT_VERSION) {
      throw new SecurityFormatException(
          source, "format_version " + fv + " is not supported; this build reads " + FORMAT_VERSION);
    }
    long version = root.path("version").asLong(-1);
    if (version != expectedVersion) {
      throw new SecurityFormatException(
          source, "records version " + version + ", expected " + expectedVersion);
    }
    try {
      Map<String, User> users = new TreeMap<>();
      for (JsonNode n : array(root, "users")) {
        List<String> roles = new ArrayList<>();
        array(n, "roles").forEach(r -> roles.add(r.asText()));
        User u =
            new User(text(n, "name"), roles, instant(n, "created"), n.path("disabled").asBoolean());
        users.put(u.name(), u);
      }
      Map<String, Role> roles = new TreeMap<>();
      for (JsonNode n : array(root, "roles")) {
        List<Grant> grants = new ArrayList<>();
        for (JsonNode g : array(n, "grants")) {
          grants.add(new Grant(text(g, "collection"), Permission.parse(text(g, "permission"))));
        }
        Role r = new Role(text(n, "name"), grants, n.path("manage_security").asBoolean());
        roles.put(r.name(), r);
      }
      Map<String, StoredKey> keys = new TreeMap<>();
      Base64.Decoder b64 = Base64.getDecoder();
      for (JsonNode n : array(root, "keys")) {
        Optional<Instant> expires =
            n.path("expires").isNull() || n.path("expires").isMissingNode()
                ? Optional.empty()
                : Optional.of(instant(n, "expires"));
        KeyInfo info =
            new KeyInfo(
                text(n, "id"),
                text(n, "user"),
                instant(n, "created"),
                expires,
                n.path("revoked").asBoolean());
        byte[] salt = b64.decode(text(n, "salt"));
        byte[] hash = b64.decode(text(n, "sha256"));
        if (hash.length != 32) {
          throw new IllegalArgumentException("key " + info.id() + ": sha256 must be 32 bytes");
        }
        keys.put(info.id(), new StoredKey(info, salt, hash));
      }
      return new SecurityState(version, root.path("bootstrapped").asBoolean(), users, roles, keys);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new SecurityFormatException(source, e.getMessage());
    }
  }

  /** The commit id recorded in a state document, or "" if it has none or cannot be read. */
  static String commitIdOf(byte[] json) {
    try {
      return JSON.readTree(json).path("commit").asText("");
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static Iterable<JsonNode> array(JsonNode n, String field) {
    JsonNode a = n.path(field);
    if (!a.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be an array");
    }
    return a;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode n, String field) {
    return Instant.parse(text(n, field));
  }
}
