package org.seq4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Groups examples of similar length into batches under a max-tokens budget, as in GNMT and most NMT
 * toolkits: padding is what a batch costs, so {@code batchSize * longestLength <= maxTokens}.
 *
 * <p>Each epoch shuffles the examples with a seed derived from (seed, epoch), sorts them by length
 * (the shuffle breaks ties), cuts the sorted list into batches, and shuffles the batch order. The
 * lengths alone fix the cut, so every epoch has the same number of batches; {@link #batch(long,
 * int)} is a pure function, which makes resuming at any position exact.
 */
public final class BucketSampler {
  private final int[] lengths;
  private final int maxTokens;
  private final long seed;
  private final int batchCount;
  private long cachedEpoch = -1;
  private int[][] cachedBatches;

  /**
   * @param lengths the length of every example (tokens, samples)
   * @param maxTokens the most padded tokens in one batch; an example longer than this gets a batch
   *     of its own
   * @param seed the seed of the shuffles
   */
  public BucketSampler(int[] lengths, int maxTokens, long seed) {
    if (lengths.length == 0) {
      throw new IllegalArgumentException("cannot batch an empty corpus: no examples");
    }
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] <= 0) {
        throw new IllegalArgumentException(
            "example " + i + " has length " + lengths[i] + "; lengths must be positive");
      }
    }
    this.lengths = lengths.clone();
    this.maxTokens = maxTokens;
    this.seed = seed;
    this.batchCount = cut(order(0)).size();
  }

  /** The number of batches in every epoch. */
  public int batchesPerEpoch() {
    return batchCount;
  }

  /** The example indices of batch {@code index} in epoch {@code epoch}. */
  public synchronized int[] batch(long epoch, int index) {
    if (index < 0 || index >= batchCount) {
      throw new IndexOutOfBoundsException(
          "batch " + index + " of an epoch with " + batchCount + " batches");
    }
    if (epoch != cachedEpoch) {
      List<int[]> batches = cut(order(epoch));
      shuffle(batches, new SplittableRandom(Seeds.mix(seed, 2 * epoch + 1)));
      cachedBatches = batches.toArray(new int[0][]);
      cachedEpoch = epoch;
    }
    return cachedBatches[index].clone();
  }

  /** Example indices shuffled for the epoch, then stably sorted by length. */
  private Integer[] order(long epoch) {
    Integer[] idx = new Integer[lengths.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    shuffle(Arrays.asList(idx), new SplittableRandom(Seeds.mix(seed, 2 * epoch)));
    Arrays.sort(idx, Comparator.comparingInt(i -> lengths[i]));
    return idx;
  }

  private List<int[]> cut(Integer[] sorted) {
    List<int[]> batches = new ArrayList<>();
    int start = 0;
    while (start < sorted.length) {
      int end = start + 1;
      // Sorted ascending, so the newest member is the longest: the batch costs size * its length.
      while (end < sorted.length && (long) (end - start + 1) * lengths[sorted[end]] <= maxTokens) {
        end++;
      }
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = sorted[i];
      }
      batches.add(batch);
      start = end;
    }
    return batches;
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }
}
