package org.seq4j.nmt;

import java.util.ArrayList;
import java.util.List;
import org.seq4j.text.SentencePair;
import org.seq4j.text.SubwordTokenizer;

/**
 * Training pairs as subword ids, with the pairs that were left out.
 *
 * <p>{@link #encode} drops a pair whose source or target is empty (nothing to learn) and a pair
 * whose source or target has more than {@code maxLength} subword tokens: long pairs cost the most
 * padding and memory per batch, are rare (on the Bible with 8,000 pieces, about 1% of the verses
 * are over 100 tokens) and are the least likely to be aligned well. Only training pairs are
 * dropped; dev and test pairs are always translated whole.
 *
 * @param sources the source ids of the pairs kept
 * @param targets the target ids of the pairs kept, in the same order
 * @param droppedEmpty pairs dropped because a side is empty
 * @param droppedLong pairs dropped because a side is longer than the cap
 * @param maxLength the cap
 */
public record EncodedPairs(
    List<int[]> sources, List<int[]> targets, int droppedEmpty, int droppedLong, int maxLength) {

  public EncodedPairs {
    sources = List.copyOf(sources);
    targets = List.copyOf(targets);
    if (sources.size() != targets.size()) {
      throw new IllegalArgumentException(
          sources.size() + " sources but " + targets.size() + " targets");
    }
  }

  /**
   * Encodes {@code pairs} with {@code tokenizer}, dropping pairs with an empty side or a side of
   * more than {@code maxLength} tokens.
   */
  public static EncodedPairs encode(
      SubwordTokenizer tokenizer, List<SentencePair> pairs, int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
    }
    List<int[]> sources = new ArrayList<>(pairs.size());
    List<int[]> targets = new ArrayList<>(pairs.size());
    int empty = 0;
    int tooLong = 0;
    for (SentencePair p : pairs) {
      int[] x = tokenizer.encode(p.source());
      int[] y = tokenizer.encode(p.target());
      if (x.length == 0 || y.length == 0) {
        empty++;
      } else if (x.length > maxLength || y.length > maxLength) {
        tooLong++;
      } else {
        sources.add(x);
        targets.add(y);
      }
    }
    return new EncodedPairs(sources, targets, empty, tooLong, maxLength);
  }

  /** The number of pairs kept. */
  public int size() {
    return sources.size();
  }

  /** The number of target tokens, EOS included: what one epoch scores. */
  public long targetTokens() {
    long n = 0;
    for (int[] y : targets) {
      n += y.length + 1;
    }
    return n;
  }

  /** The number of source tokens. */
  public long sourceTokens() {
    long n = 0;
    for (int[] x : sources) {
      n += x.length;
    }
    return n;
  }
}
