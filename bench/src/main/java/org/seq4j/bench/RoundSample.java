package org.seq4j.bench;

/**
 * What one timed round of a {@link Contender} measured.
 *
 * @param usPerOp microseconds per call
 * @param heapBytesPerOp Java heap bytes allocated per call, or {@code NaN} where not measured (a
 *     peer in another process)
 */
public record RoundSample(double usPerOp, double heapBytesPerOp) {
  /** A sample with time only. */
  public static RoundSample timeOnly(double usPerOp) {
    return new RoundSample(usPerOp, Double.NaN);
  }
}
