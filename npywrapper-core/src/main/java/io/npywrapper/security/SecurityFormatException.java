package io.npywrapper.security;

/**
 * A security state document or audit object that cannot be read: not JSON, a wrong format or
 * version, a missing or malformed field. The message names the blob and the problem.
 */
public final class SecurityFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SecurityFormatException(String source, String problem) {
    super(source + ": " + problem);
  }
}
