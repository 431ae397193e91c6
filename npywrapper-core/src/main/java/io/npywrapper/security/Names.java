package io.npywrapper.security;

import java.util.regex.Pattern;

/** The rules for user and role names. Stateless and thread-safe. */
final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

  private Names() {}

  /**
   * Returns {@code name} if it is a valid user or role name ({@code what} names which).
   *
   * @throws IllegalArgumentException naming the name and the rule
   */
  static String check(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " name '"
              + name
              + "': use 1-64 letters, digits, '_', '.', '@' or '-', starting with a letter or"
              + " digit");
    }
    return name;
  }
}
