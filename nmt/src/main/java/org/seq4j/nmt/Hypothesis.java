package org.seq4j.nmt;

/**
 * One finished translation hypothesis of {@link BeamSearch}.
 *
 * <p>Every hypothesis ends with EOS (the search forces it at the maximum length), which {@code
 * tokens} leaves out; its length {@code |Y|}, the one the length penalty counts, is {@code
 * tokens.length + 1}. The arrays are not copied.
 *
 * @param tokens the target token ids, without BOS and EOS
 * @param score the GNMT score {@code log P(Y|X) / lp(Y) + cp(X;Y)} (see {@link BeamSearch})
 * @param logProb {@code log P(Y|X)}, the sum of the log-probabilities of the tokens and of EOS
 * @param attention {@code [|Y|][sourceLength]}: row {@code j} holds the attention of the step that
 *     produced token {@code j} (the last row the EOS step's), over the real source positions only
 */
public record Hypothesis(int[] tokens, double score, double logProb, float[][] attention) {
  /** {@code |Y|}: the number of target tokens including EOS, and of attention rows. */
  public int length() {
    return tokens.length + 1;
  }
}
