package org.seq4j.bench;

import java.util.Arrays;

/** Order statistics over the per-round timings of a benchmark. */
public final class Stats {
  private Stats() {}

  /**
   * The median of {@code values}; the mean of the two middle values when their number is even.
   *
   * @throws IllegalArgumentException if {@code values} is empty
   */
  public static double median(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The smallest of {@code values}. */
  public static double min(double... values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  /** The largest of {@code values}. */
  public static double max(double... values) {
    return Arrays.stream(values).max().orElseThrow();
  }
}
