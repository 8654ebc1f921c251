package org.seq4j.train;

import java.nio.file.Path;
import java.util.Map;

/** Follows a training run; every method has an empty default. */
public interface TrainListener {

  /** Called once before the first step, after any resume. */
  default void onStart(long step, long totalSteps) {}

  /** Called after every update. */
  default void onStep(StepStats stats) {}

  /**
   * Called instead of {@link #onStep} for a batch passed over without an update because its loss or
   * gradient was not finite ({@link TrainLoop.Config#skipNonFiniteSteps}); {@code step} counts it
   * as done.
   */
  default void onSkippedStep(long step, String reason) {}

  /** Called after each validation with the task's metrics. */
  default void onValidation(long step, Map<String, Double> metrics) {}

  /** Called after a checkpoint was written; {@code best} if it is the best so far. */
  default void onCheckpoint(long step, Path file, boolean best) {}

  /** Called once when the run ends, normally or not. */
  default void onEnd(TrainLoop.Summary summary) {}
}
