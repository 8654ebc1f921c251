package org.seq4j.train;

/** Derives independent seeds from a base seed, so that every random choice is reproducible. */
public final class Seeds {
  private Seeds() {}

  /** Mixes a base seed with a stream index (a step, an epoch) into a well-spread 64-bit seed. */
  public static long mix(long seed, long index) {
    // SplitMix64 finalizer (Steele, Lea & Flood 2014) applied to seed + golden-ratio * index.
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A non-negative 31-bit seed for APIs that take an int, such as libtorch's manual_seed. */
  public static int toInt(long seed) {
    return (int) (seed & 0x7FFFFFFFL);
  }
}
