package org.seq4j.train;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * What one training step may use: a manager that is closed when the step ends, whether dropout is
 * on, and a random generator seeded from the run's seed and the step number, so that a resumed run
 * draws the same numbers as an uninterrupted one.
 */
public final class StepContext {
  private final NDManager manager;
  private final long step;
  private final long seed;
  private final boolean training;
  private SplittableRandom random;

  StepContext(NDManager manager, long step, long seed, boolean training) {
    this.manager = manager;
    this.step = step;
    this.seed = seed;
    this.training = training;
  }

  /** The manager of this step; closed when the step ends. */
  public NDManager manager() {
    return manager;
  }

  /** The number of updates done before this step (0 for the first step). */
  public long step() {
    return step;
  }

  /** Whether the model runs in training mode (dropout on). */
  public boolean training() {
    return training;
  }

  /** The seed of this step, derived from the run's seed and the step number. */
  public long seed() {
    return seed;
  }

  /** A generator seeded by {@link #seed()}. */
  public SplittableRandom random() {
    if (random == null) {
      random = new SplittableRandom(seed);
    }
    return random;
  }
}
