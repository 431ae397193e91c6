package io.npywrapper.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One permission on the collections a pattern names: an exact collection name ({@code docs}), every
 * collection ({@code *}), or every name starting with a prefix ({@code logs_*}). Immutable.
 *
 * @param collectionPattern the collection name, {@code *}, or a prefix followed by {@code *}
 * @param permission what the grant allows (and everything it implies)
 */
public record Grant(String collectionPattern, Permission permission) {
  private static final Pattern PATTERN = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\*?");

  /**
   * @throws IllegalArgumentException for a pattern that is not a collection name, {@code *} or a
   *     prefix followed by {@code *}
   */
  public Grant {
    Objects.requireNonNull(permission, "permission");
    if (collectionPattern == null || !PATTERN.matcher(collectionPattern).matches()) {
      throw new IllegalArgumentException(
          "invalid collection pattern '"
              + collectionPattern
              + "': expected a collection name, '*', or a name prefix followed by '*' (logs_*)");
    }
  }

  /**
   * Parses {@code PATTERN:PERMISSION}, as on the command line ({@code logs_*:read}).
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static Grant parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "invalid grant '" + text + "': expected PATTERN:read|write|admin, e.g. 'logs_*:read'");
    }
    return new Grant(text.substring(0, colon), Permission.parse(text.substring(colon + 1)));
  }

  /** Whether the pattern names {@code collection}. */
  public boolean matches(String collection) {
    if (collectionPattern.endsWith("*")) {
      return collection.startsWith(collectionPattern.substring(0, collectionPattern.length() - 1));
    }
    return collectionPattern.equals(collection);
  }

  /** Whether this grant allows {@code wanted} on {@code collection}. */
  public boolean allows(String collection, Permission wanted) {
    return permission.implies(wanted) && matches(collection);
  }

  @Override
  public String toString() {
    return collectionPattern + ":" + permission.label();
  }
}
