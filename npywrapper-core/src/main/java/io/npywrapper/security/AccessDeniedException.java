package io.npywrapper.security;

/**
 * A principal lacks the permission an operation needs. The message names the principal, the
 * permission and the collection (or "security administration"). Thrown before anything is written.
 */
public final class AccessDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message);
  }
}
