package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.seq4j.nn.Losses;

/**
 * The adding problem as Bai, Kolter and Koltun (2018) define it ({@code TCN/adding_problem}): two
 * input channels of length {@code T}, the first random values in {@code [0, 1)}, the second zero
 * but for 1s at two distinct positions drawn uniformly; the target is the sum of the two marked
 * values, read at the last step, under mean squared error. Answering 1 every time scores the
 * variance of the sum, 1/6; the paper's table gives chance as 0.1767.
 */
final class AddingProblem implements SyntheticTask {
  /** The paper's chance loss. */
  static final double PAPER_CHANCE = 0.1767;

  @Override
  public String name() {
    return "adding";
  }

  @Override
  public int inputs() {
    return 2;
  }

  @Override
  public int outputs() {
    return 1;
  }

  @Override
  public int length(int t) {
    return t;
  }

  @Override
  public Batch sample(SplittableRandom random, int size, int t) {
    float[] x = new float[size * t * 2];
    float[] sums = new float[size];
    for (int b = 0; b < size; b++) {
      for (int i = 0; i < t; i++) {
        x[(b * t + i) * 2] = (float) random.nextDouble();
      }
      int first = random.nextInt(t);
      int second = random.nextInt(t - 1);
      second += second >= first ? 1 : 0;
      x[(b * t + first) * 2 + 1] = 1;
      x[(b * t + second) * 2 + 1] = 1;
      sums[b] = x[(b * t + first) * 2] + x[(b * t + second) * 2];
    }
    return new Batch(x, size, t, sums, null);
  }

  @Override
  public NDArray loss(NDManager m, SequenceModel model, NDArray x, Batch batch) {
    NDArray target = m.create(batch.values(), new Shape(batch.size(), 1));
    return Losses.mse(model.lastStep(x, null), target);
  }

  @Override
  public double chance(int t) {
    return PAPER_CHANCE;
  }
}
