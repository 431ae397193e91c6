package io.npywrapper.collection;

/**
 * How a graph index scores vectors while it is walked: {@link #NONE} reads the float32 rows of the
 * segment's {@code vectors.npy}; {@link #INT8} reads int8 scalar-quantized codes written next to
 * the index (a quarter of the bytes, so a collection several times larger than memory keeps its
 * walk in memory) and re-ranks the candidates exactly from the float32 rows. Thread-safe.
 */
public enum IndexQuantization {
  NONE("none"),
  INT8("int8");

  private final String id;

  IndexQuantization(String id) {
    this.id = id;
  }

  /** The name used in the manifest, the CLI and messages. */
  public String id() {
    return id;
  }

  /**
   * The quantization named {@code s} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values otherwise
   */
  public static IndexQuantization parse(String s) {
    for (IndexQuantization q : values()) {
      if (q.id.equalsIgnoreCase(s == null ? "" : s.trim())) {
        return q;
      }
    }
    throw new IllegalArgumentException("quantization must be one of none, int8; got '" + s + "'");
  }
}
