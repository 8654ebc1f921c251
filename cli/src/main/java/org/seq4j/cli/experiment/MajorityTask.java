package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The majority task: a sequence of fair random bits; the answer is whether it holds more 1s than 0s
 * (a tie is "no"). It depends on every bit of the sequence, whatever its length.
 */
final class MajorityTask {
  private MajorityTask() {}

  /**
   * A batch: bits one-hot in {@code [B, width, 2]} (channel 0 for a 0, channel 1 for a 1), all
   * zeros past each sequence's length; the lengths; the answers (1 for "more 1s").
   */
  record Batch(float[] x, int width, int[] lengths, long[] labels) {
    int size() {
      return lengths.length;
    }

    NDArray input(NDManager m) {
      return m.create(x, new Shape(size(), width, 2));
    }

    NDArray targets(NDManager m) {
      return m.create(labels);
    }
  }

  /**
   * {@code size} sequences of lengths drawn uniformly from {@code [minLength, maxLength]}, padded
   * to {@code width}.
   */
  static Batch sample(SplittableRandom random, int size, int minLength, int maxLength, int width) {
    float[] x = new float[size * width * 2];
    int[] lengths = new int[size];
    long[] labels = new long[size];
    for (int b = 0; b < size; b++) {
      int n = random.nextInt(minLength, maxLength + 1);
      int ones = 0;
      for (int t = 0; t < n; t++) {
        int bit = random.nextInt(2);
        ones += bit;
        x[(b * width + t) * 2 + bit] = 1;
      }
      lengths[b] = n;
      labels[b] = 2 * ones > n ? 1 : 0;
    }
    return new Batch(x, width, lengths, labels);
  }
}
