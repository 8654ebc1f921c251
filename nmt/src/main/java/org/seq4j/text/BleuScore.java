package org.seq4j.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * A BLEU score with the numbers behind it, as sacreBLEU reports them.
 *
 * @param score BLEU on a 0–100 scale
 * @param precisions the (smoothed) n-gram precisions on a 0–100 scale, index n-1 for order n
 * @param brevityPenalty {@code exp(1 - ref/hyp)} when the hypotheses are shorter, else 1
 * @param stats the counts the score was computed from
 */
public record BleuScore(double score, double[] precisions, double brevityPenalty, BleuStats stats) {

  public BleuScore {
    precisions = precisions.clone();
  }

  @Override
  public double[] precisions() {
    return precisions.clone();
  }

  /** Hypothesis length over reference length (0 when there is no reference word). */
  public double ratio() {
    return stats.refLength() == 0 ? 0 : (double) stats.hypLength() / stats.refLength();
  }

  /**
   * The precisions and lengths as sacreBLEU prints them after the score: {@code
   * "70.1/45.3/31.0/21.9 (BP = 1.000 ratio = 1.010 hyp_len = 1234 ref_len = 1222)"}.
   */
  public String verbose() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < precisions.length; i++) {
      out.append(i == 0 ? "" : "/").append(fixed(precisions[i], 1));
    }
    return out.append(" (BP = ")
        .append(fixed(brevityPenalty, 3))
        .append(" ratio = ")
        .append(fixed(ratio(), 3))
        .append(" hyp_len = ")
        .append(stats.hypLength())
        .append(" ref_len = ")
        .append(stats.refLength())
        .append(')')
        .toString();
  }

  /** sacreBLEU's score line: {@code "BLEU = 34.56 70.1/45.3/31.0/21.9 (BP = ...)"}. */
  public String format() {
    return "BLEU = " + fixed(score, 2) + " " + verbose();
  }

  /**
   * {@code value} with {@code digits} decimals exactly as Python's {@code f"{value:.{digits}f}"}
   * writes it: the exact binary value rounded half to even ({@link String#format} would round the
   * shortest decimal form half up, which differs on values such as 0.125 or 1.005).
   */
  public static String fixed(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    }
    String s = new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    return value < 0 || (value == 0 && 1 / value < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BleuScore b
        && Double.compare(b.score, score) == 0
        && Arrays.equals(b.precisions, precisions)
        && Double.compare(b.brevityPenalty, brevityPenalty) == 0
        && b.stats.equals(stats);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(score) * 31 + stats.hashCode();
  }

  @Override
  public String toString() {
    return format();
  }
}
