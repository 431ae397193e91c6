package io.npywrapper.security;

/**
 * An API key token was malformed, unknown, expired or revoked, or its user is disabled or gone. The
 * message may name the key id (which is public) but never echoes the secret.
 */
public final class AuthenticationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message);
  }
}
