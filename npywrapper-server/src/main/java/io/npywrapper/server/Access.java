package io.npywrapper.server;

/**
 * What a route requires of its caller: nothing ({@link #PUBLIC}), a valid key ({@link
 * #AUTHENTICATED}), a permission on the collection named by the path ({@link #READ}, {@link
 * #WRITE}, {@link #ADMIN}), or the right to manage security ({@link #SECURITY_ADMIN}).
 */
enum Access {
  PUBLIC,
  AUTHENTICATED,
  READ,
  WRITE,
  ADMIN,
  SECURITY_ADMIN
}
