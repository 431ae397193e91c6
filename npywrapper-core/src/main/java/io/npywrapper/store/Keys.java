package io.npywrapper.store;

import java.util.Objects;

/**
 * The rules for blob keys, shared by every {@link BlobStore} so that a key valid on one store is
 * valid on all of them (local file systems, S3, GCS). A key is a relative name of {@code
 * '/'}-separated segments:
 *
 * <ul>
 *   <li>non-empty and at most {@value #MAX_LENGTH} characters;
 *   <li>only ASCII letters, digits, {@code '/'} and {@code _-.=+@,} (so no backslash, space, NUL,
 *       control or non-ASCII character);
 *   <li>no leading or trailing {@code '/'}, no empty segment ({@code "a//b"});
 *   <li>no segment that starts with {@code '.'}, so no {@code "."} or {@code ".."} segment: names
 *       starting with a dot are reserved for a store's temporary and bookkeeping files;
 *   <li>segments of at most {@value #MAX_SEGMENT_LENGTH} characters, the file-name limit of common
 *       local file systems.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Keys {
  /** The longest key allowed, in characters (S3's limit, in bytes, for ASCII keys). */
  public static final int MAX_LENGTH = 1024;

  /** The longest segment allowed, in characters (NAME_MAX of ext4, XFS, APFS, NTFS). */
  public static final int MAX_SEGMENT_LENGTH = 255;

  private static final String PUNCTUATION = "_-.=+@,";

  private Keys() {}

  /**
   * Returns {@code key} if it is a valid key.
   *
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public static String check(String key) {
    String problem = problem(key, false);
    if (problem != null) {
      throw new IllegalArgumentException("invalid key " + quote(key) + ": " + problem);
    }
    return key;
  }

  /**
   * Returns {@code prefix} if it is a valid listing prefix: empty, or a string that some valid key
   * starts with up to its last {@code '/'} (a trailing {@code '/'} and a partial last segment are
   * allowed).
   *
   * @throws IllegalArgumentException naming the prefix and the rule it breaks
   */
  public static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      return prefix;
    }
    String problem = problem(prefix, true);
    if (problem != null) {
      throw new IllegalArgumentException("invalid prefix " + quote(prefix) + ": " + problem);
    }
    return prefix;
  }

  /** Whether {@code key} is a valid key; never throws. */
  public static boolean isValid(String key) {
    return key != null && problem(key, false) == null;
  }

  /** What is wrong with a key or prefix, or null if nothing. */
  private static String problem(String key, boolean prefix) {
    Objects.requireNonNull(key, prefix ? "prefix" : "key");
    if (key.isEmpty()) {
      return "must not be empty";
    }
    if (key.length() > MAX_LENGTH) {
      return "is " + key.length() + " characters long; at most " + MAX_LENGTH + " allowed";
    }
    for (int i = 0; i < key.length(); i++) {
      String bad = badChar(key.charAt(i), i);
      if (bad != null) {
        return bad;
      }
    }
    if (key.charAt(0) == '/') {
      return "must not start with '/' (keys are relative to the store's root)";
    }
    if (!prefix && key.endsWith("/")) {
      return "must not end with '/' (a key names a blob, not a directory)";
    }
    int start = 0;
    while (start <= key.length()) {
      int end = key.indexOf('/', start);
      boolean last = end < 0;
      if (last) {
        end = key.length();
      }
      String segment = key.substring(start, end);
      String bad = badSegment(segment, start, last && prefix);
      if (bad != null) {
        return bad;
      }
      if (last) {
        break;
      }
      start = end + 1;
      if (prefix && start == key.length()) {
        break; // a prefix may end with '/'
      }
    }
    return null;
  }

  private static String badChar(char c, int index) {
    if (c == '\\') {
      return "contains a backslash at index " + index + "; use '/' to separate segments";
    }
    if (c < 0x20 || c == 0x7f) {
      return "contains control character " + codePoint(c) + " at index " + index;
    }
    boolean ok =
        (c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '/'
            || PUNCTUATION.indexOf(c) >= 0;
    if (!ok) {
      return "contains '"
          + c
          + "' ("
          + codePoint(c)
          + ") at index "
          + index
          + "; allowed are ASCII letters, digits, '/' and "
          + PUNCTUATION;
    }
    return null;
  }

  private static String badSegment(String segment, int index, boolean partial) {
    if (segment.isEmpty()) {
      return "has an empty segment at index " + index + " (\"//\")";
    }
    if (segment.length() > MAX_SEGMENT_LENGTH) {
      return "segment at index "
          + index
          + " is "
          + segment.length()
          + " characters long; at most "
          + MAX_SEGMENT_LENGTH
          + " allowed";
    }
    if (partial) {
      return null; // the last part of a prefix may be the start of any segment
    }
    if (segment.equals(".") || segment.equals("..")) {
      return "has a '" + segment + "' segment at index " + index + "; keys cannot navigate";
    }
    if (segment.charAt(0) == '.') {
      return "segment '"
          + segment
          + "' at index "
          + index
          + " starts with '.', which is reserved for temporary and hidden files";
    }
    return null;
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  /** The key in quotes with control characters escaped, shortened if very long. */
  static String quote(String key) {
    StringBuilder sb = new StringBuilder("'");
    int shown = Math.min(key.length(), 120);
    for (int i = 0; i < shown; i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (shown < key.length()) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
