package io.npywrapper.testing;

import java.util.Random;

/**
 * Seeds for property tests. Every run uses the same base seed unless {@code -Dnpyw.seed=N} gives
 * another, so failures reproduce; each repetition mixes its number into the base, and {@link #run}
 * puts the seed and the command to rerun it into any failure. Thread-safe.
 */
public final class Seeds {
  /** The base seed when {@code npyw.seed} is not set. */
  public static final long DEFAULT_BASE = 0x5EED_2026_11L;

  private Seeds() {}

  /** The base seed of this run. */
  public static long base() {
    return Long.getLong("npyw.seed", DEFAULT_BASE);
  }

  /** The seed of repetition {@code n}: the base and {@code n} mixed (SplitMix64). */
  public static long of(int n) {
    long z = base() + n * 0x9E37_79B9_7F4A_7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  /** A test body that gets a seeded {@link Random}. */
  @FunctionalInterface
  public interface Body {
    void run(Random rnd) throws Exception;
  }

  /**
   * Runs {@code body} with {@code new Random(of(n))}; any failure is rethrown as an {@link
   * AssertionError} naming the seed and how to rerun the same cases.
   */
  public static void run(int n, Body body) {
    long seed = of(n);
    try {
      body.run(new Random(seed));
    } catch (Throwable t) {
      throw new AssertionError(
          "failed with seed "
              + seed
              + " (repetition "
              + n
              + " of base seed "
              + base()
              + "; rerun with -Dnpyw.seed="
              + base()
              + "): "
              + t,
          t);
    }
  }
}
