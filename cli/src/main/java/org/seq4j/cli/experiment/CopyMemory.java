package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.seq4j.nn.Losses;

/**
 * The copy-memory task as Bai, Kolter and Koltun (2018) define it ({@code TCN/copy_memory}): an
 * input of length {@code T + 20}, 10 symbols drawn from 1..8, then {@code T − 1} zeros, then 11
 * nines (the first, at position {@code T + 10}, is the delimiter); the target is zero everywhere
 * but the last 10 steps, which repeat the 10 symbols. Like the reference, the input is one channel
 * holding the symbol's value, and the loss is cross-entropy over the 10 classes at every step.
 * Chance, as in the paper, is answering 0 until the end and then guessing among the 8 symbols:
 * {@code 10 ln 8 / (T + 20)}.
 */
final class CopyMemory implements SyntheticTask {
  /** Symbols to remember. */
  static final int MEMORY = 10;

  private static final int CLASSES = 10;
  private static final int DELIMITER = 9;

  @Override
  public String name() {
    return "copy-memory";
  }

  @Override
  public int inputs() {
    return 1;
  }

  @Override
  public int outputs() {
    return CLASSES;
  }

  @Override
  public int length(int t) {
    return t + 2 * MEMORY;
  }

  @Override
  public Batch sample(SplittableRandom random, int size, int t) {
    int length = length(t);
    float[] x = new float[size * length];
    long[] y = new long[size * length];
    for (int b = 0; b < size; b++) {
      int row = b * length;
      for (int i = 0; i < MEMORY; i++) {
        int symbol = 1 + random.nextInt(8);
        x[row + i] = symbol;
        y[row + length - MEMORY + i] = symbol;
      }
      for (int i = length - MEMORY - 1; i < length; i++) {
        x[row + i] = DELIMITER;
      }
    }
    return new Batch(x, size, length, null, y);
  }

  @Override
  public NDArray loss(NDManager m, SequenceModel model, NDArray x, Batch batch) {
    NDArray targets = m.create(batch.classes(), new Shape(batch.size(), batch.length()));
    return Losses.crossEntropy(model.everyStep(x), targets, -100, 0f);
  }

  @Override
  public double chance(int t) {
    return MEMORY * Math.log(8) / (t + 2 * MEMORY);
  }
}
