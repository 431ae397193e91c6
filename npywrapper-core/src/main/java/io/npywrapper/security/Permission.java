package io.npywrapper.security;

import java.util.Locale;

/**
 * What a grant allows on a collection. Ordered: {@link #ADMIN} implies {@link #WRITE}, which
 * implies {@link #READ}. Immutable.
 */
public enum Permission {
  /** Get rows, count, query, read snapshots, versions and properties. */
  READ,
  /** Add, upsert and delete rows, flush, compact, set properties; implies READ. */
  WRITE,
  /** Create and drop the collection, alter its schema; implies WRITE and READ. */
  ADMIN;

  /** Whether holding this permission also allows {@code other}. */
  public boolean implies(Permission other) {
    return compareTo(other) >= 0;
  }

  /** The lower-case name used in JSON and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code read}, {@code write} or {@code admin} (any case).
   *
   * @throws IllegalArgumentException naming what came and what is allowed
   */
  public static Permission parse(String text) {
    if (text != null) {
      for (Permission p : values()) {
        if (p.name().equalsIgnoreCase(text.strip())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "invalid permission '" + text + "': expected read, write or admin");
  }
}
