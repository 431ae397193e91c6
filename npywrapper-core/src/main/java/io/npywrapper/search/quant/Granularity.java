package io.npywrapper.search.quant;

/**
 * Whether a scalar quantizer learns one value range for all dimensions or one per dimension.
 * Immutable and thread-safe.
 */
public enum Granularity {
  /** One range over every value of the sample: robust when all dimensions look alike. */
  GLOBAL,
  /** One range per dimension: keeps precision when dimensions have very different spreads. */
  PER_DIMENSION
}
