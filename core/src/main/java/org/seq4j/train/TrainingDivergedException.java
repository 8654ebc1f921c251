package org.seq4j.train;

/**
 * Thrown when a step's loss or gradient is NaN or infinite. The update was not applied, and the
 * checkpoints written before are kept as they were.
 */
public class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;

  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The number of updates done before the step that diverged. */
  public long step() {
    return step;
  }
}
