package io.npywrapper.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The API key token format and its hash. A token is {@code npyw_<id>_<secret>}: {@code id} is 16
 * lower-case hex digits (64 random bits, public, used to look the key up) and {@code secret} is 32
 * random bytes (256 bits) in unpadded base64url, 43 characters.
 *
 * <p>Only {@code SHA-256(salt || secret bytes)} and the 16-byte random salt are stored. A slow
 * password hash (bcrypt, scrypt, Argon2) exists to make guessing a <em>low-entropy</em> password
 * from a stolen hash expensive; a uniformly random 256-bit secret cannot be guessed whatever the
 * hash costs, so a single SHA-256 is as strong here and keeps verification at about a microsecond
 * per request (DESIGN.md, Security). The salt keeps equal secrets from having equal hashes. Hashes
 * are compared with {@link MessageDigest#isEqual}, which takes time independent of where they
 * differ.
 *
 * <p>Thread-safe: the only state is a SHA-256 digest that is cloned per hash and never updated.
 */
final class ApiKeys {
  static final String PREFIX = "npyw_";
  static final int ID_HEX_DIGITS = 16;
  static final int SECRET_BYTES = 32;
  static final int SECRET_CHARS = 43;
  static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final MessageDigest SHA256 = newSha256();
  private static final boolean SHA256_CLONEABLE = cloneable(SHA256);

  /** A token split into its parts; the secret decoded. */
  record Parsed(String id, byte[] secret) {}

  private ApiKeys() {}

  /** A fresh random key id. */
  static String newId() {
    byte[] b = new byte[ID_HEX_DIGITS / 2];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A fresh random secret. */
  static byte[] newSecret() {
    byte[] b = new byte[SECRET_BYTES];
    RANDOM.nextBytes(b);
    return b;
  }

  /** A fresh random salt. */
  static byte[] newSalt() {
    byte[] b = new byte[SALT_BYTES];
    RANDOM.nextBytes(b);
    return b;
  }

  static String token(String id, byte[] secret) {
    return PREFIX + id + "_" + B64URL.encodeToString(secret);
  }

  /**
   * Splits a token into id and secret.
   *
   * @throws AuthenticationException saying what part is malformed, without echoing the secret
   */
  static Parsed parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new AuthenticationException("no API key given");
    }
    int expected = PREFIX.length() + ID_HEX_DIGITS + 1 + SECRET_CHARS;
    if (!token.startsWith(PREFIX)) {
      throw new AuthenticationException("malformed API key: expected it to start with 'npyw_'");
    }
    if (token.length() != expected) {
      throw new AuthenticationException(
          "malformed API key: expected "
              + expected
              + " characters (npyw_<16 hex digits>_<43 base64url characters>), got "
              + token.length());
    }
    String id = token.substring(PREFIX.length(), PREFIX.length() + ID_HEX_DIGITS);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new AuthenticationException(
            "malformed API key: the key id must be 16 lower-case hex digits");
      }
    }
    if (token.charAt(PREFIX.length() + ID_HEX_DIGITS) != '_') {
      throw new AuthenticationException(
          "malformed API key: expected '_' after the 16-digit key id");
    }
    String secret = token.substring(PREFIX.length() + ID_HEX_DIGITS + 1);
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw new AuthenticationException(
            "malformed API key " + id + ": the secret must be base64url characters");
      }
    }
    byte[] decoded;
    try {
      decoded = Base64.getUrlDecoder().decode(secret);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(
          "malformed API key " + id + ": the secret is not base64url");
    }
    if (decoded.length != SECRET_BYTES || !B64URL.encodeToString(decoded).equals(secret)) {
      throw new AuthenticationException(
          "malformed API key " + id + ": the secret does not encode 32 bytes");
    }
    return new Parsed(id, decoded);
  }

  /** SHA-256 over salt then secret. */
  static byte[] hash(byte[] salt, byte[] secret) {
    MessageDigest md = sha256();
    md.update(salt);
    md.update(secret);
    return md.digest();
  }

  /**
   * A fresh SHA-256 digest: a clone of {@link #SHA256}, which is never updated (so concurrent
   * clones only read it), rather than a provider lookup per request. A ThreadLocal would not help:
   * the server runs each request on a new virtual thread.
   */
  private static MessageDigest sha256() {
    if (SHA256_CLONEABLE) {
      try {
        return (MessageDigest) SHA256.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("the SHA-256 digest could be cloned once but not now", e);
      }
    }
    return newSha256();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static boolean cloneable(MessageDigest md) {
    try {
      md.clone();
      return true;
    } catch (CloneNotSupportedException e) {
      return false;
    }
  }

  /** Whether {@code secret} hashes to {@code expected} under {@code salt}; constant time. */
  static boolean verify(byte[] salt, byte[] expected, byte[] secret) {
    return MessageDigest.isEqual(hash(salt, secret), expected);
  }
}
