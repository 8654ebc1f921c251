package org.seq4j.bench;

import java.util.Arrays;

/**
 * The per-round samples of one contender over a run of {@link InterleavedRounds}.
 *
 * @param impl the contender's implementation name
 * @param usPerOp microseconds per call, one value per round
 * @param heapBytesPerOp Java heap bytes per call, one value per round ({@code NaN} where unknown)
 */
public record RoundSeries(String impl, double[] usPerOp, double[] heapBytesPerOp) {

  /** Copies the arrays, which must be equally long and not empty. */
  public RoundSeries {
    if (usPerOp.length == 0 || usPerOp.length != heapBytesPerOp.length) {
      throw new IllegalArgumentException(
          "need equally many, and some, samples; got "
              + usPerOp.length
              + " times and "
              + heapBytesPerOp.length
              + " heap figures");
    }
    usPerOp = usPerOp.clone();
    heapBytesPerOp = heapBytesPerOp.clone();
  }

  /** The number of rounds. */
  public int rounds() {
    return usPerOp.length;
  }

  /** The median time per call over rounds. */
  public double medianUsPerOp() {
    return Stats.median(usPerOp);
  }

  /** The fastest round's time per call. */
  public double minUsPerOp() {
    return Stats.min(usPerOp);
  }

  /** The slowest round's time per call. */
  public double maxUsPerOp() {
    return Stats.max(usPerOp);
  }

  /** Whether every round measured its heap allocation. */
  public boolean hasHeapBytes() {
    return Arrays.stream(heapBytesPerOp).noneMatch(Double::isNaN);
  }

  /** The median Java heap bytes per call over rounds, or {@code NaN} where not measured. */
  public double medianHeapBytesPerOp() {
    return hasHeapBytes() ? Stats.median(heapBytesPerOp) : Double.NaN;
  }

  @Override
  public double[] usPerOp() {
    return usPerOp.clone();
  }

  @Override
  public double[] heapBytesPerOp() {
    return heapBytesPerOp.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoundSeries s
        && impl.equals(s.impl)
        && Arrays.equals(usPerOp, s.usPerOp)
        && Arrays.equals(heapBytesPerOp, s.heapBytesPerOp);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * impl.hashCode() + Arrays.hashCode(usPerOp)) + Arrays.hashCode(heapBytesPerOp);
  }

  @Override
  public String toString() {
    return "RoundSeries[impl="
        + impl
        + ", usPerOp="
        + Arrays.toString(usPerOp)
        + ", heapBytesPerOp="
        + Arrays.toString(heapBytesPerOp)
        + "]";
  }
}
