package io.npywrapper.collection;

/** The type of a collection's row ids, fixed when it is created. Thread-safe. */
public enum IdType {
  /** 64-bit integers; stored as an int64 {@code ids.npy}. */
  INT64,
  /** Strings of up to {@link Ids#MAX_STRING_ID} characters; stored as {@code <U n}. */
  STRING;

  public String id() {
    return this == INT64 ? "int64" : "string";
  }

  public static IdType parse(String s) {
    return switch (s) {
      case "int64" -> INT64;
      case "string" -> STRING;
      default -> throw new IllegalArgumentException("unknown id type '" + s + "': int64 or string");
    };
  }
}
