package org.seq4j.text;

import java.util.Arrays;

/**
 * BLEU's sufficient statistics for one segment or a whole corpus: the hypothesis length, the
 * (closest) reference length, and, for each n-gram order, the matched and the total n-grams of the
 * hypothesis. Corpus BLEU is computed from the sums over the segments.
 *
 * @param hypLength the number of hypothesis words
 * @param refLength the number of reference words (the closest reference, per segment)
 * @param correct matched n-grams, clipped by the reference counts; index n-1 for order n
 * @param total hypothesis n-grams; index n-1 for order n
 */
public record BleuStats(long hypLength, long refLength, long[] correct, long[] total) {

  public BleuStats {
    if (correct.length != total.length) {
      throw new IllegalArgumentException(
          "correct and total need the same orders, got " + correct.length + " and " + total.length);
    }
    correct = correct.clone();
    total = total.clone();
  }

  /** Empty statistics for n-grams up to {@code maxOrder}. */
  public static BleuStats zero(int maxOrder) {
    return new BleuStats(0, 0, new long[maxOrder], new long[maxOrder]);
  }

  /** The highest n-gram order counted. */
  public int maxOrder() {
    return correct.length;
  }

  /** The element-wise sum of these and {@code other}. */
  public BleuStats plus(BleuStats other) {
    if (other.maxOrder() != maxOrder()) {
      throw new IllegalArgumentException("different n-gram orders");
    }
    long[] c = correct.clone();
    long[] t = total.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] += other.correct[i];
      t[i] += other.total[i];
    }
    return new BleuStats(hypLength + other.hypLength, refLength + other.refLength, c, t);
  }

  @Override
  public long[] correct() {
    return correct.clone();
  }

  @Override
  public long[] total() {
    return total.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BleuStats s
        && s.hypLength == hypLength
        && s.refLength == refLength
        && Arrays.equals(s.correct, correct)
        && Arrays.equals(s.total, total);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hypLength) * 31
        + Long.hashCode(refLength) * 17
        + Arrays.hashCode(correct) * 7
        + Arrays.hashCode(total);
  }

  @Override
  public String toString() {
    return "BleuStats[hyp="
        + hypLength
        + ", ref="
        + refLength
        + ", correct="
        + Arrays.toString(correct)
        + ", total="
        + Arrays.toString(total)
        + "]";
  }
}
