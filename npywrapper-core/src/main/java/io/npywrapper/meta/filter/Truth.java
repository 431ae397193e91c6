package io.npywrapper.meta.filter;

/**
 * SQL's three truth values. A condition on a null attribute is {@link #UNKNOWN}; a row matches a
 * filter only when the filter is {@link #TRUE}. Immutable and thread-safe.
 */
public enum Truth {
  TRUE,
  FALSE,
  UNKNOWN;

  /** {@link #TRUE} or {@link #FALSE}. */
  public static Truth of(boolean b) {
    return b ? TRUE : FALSE;
  }

  /** SQL AND: false if either is false, else unknown if either is unknown, else true. */
  public Truth and(Truth other) {
    if (this == FALSE || other == FALSE) {
      return FALSE;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : TRUE;
  }

  /** SQL OR: true if either is true, else unknown if either is unknown, else false. */
  public Truth or(Truth other) {
    if (this == TRUE || other == TRUE) {
      return TRUE;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : FALSE;
  }

  /** SQL NOT: swaps true and false; unknown stays unknown. */
  public Truth not() {
    return switch (this) {
      case TRUE -> FALSE;
      case FALSE -> TRUE;
      case UNKNOWN -> UNKNOWN;
    };
  }
}
