package org.seq4j.cli.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.seq4j.engine.Steps;
import org.seq4j.optim.GradClip;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/**
 * One training step, explicit as everywhere in seq4j: forward, loss, backward, clip, update, inside
 * a child {@code NDManager} closed at the step's end.
 */
final class TrainStep {
  private TrainStep() {}

  /** The forward pass of one step, and what to read after the backward pass. */
  interface Body {
    /** Builds the batch in {@code m} and returns the scalar loss. */
    NDArray loss(NDManager m);

    /** Called after the backward pass, while the step's arrays and gradients are alive. */
    default void afterBackward() {}
  }

  /**
   * Runs one step on {@code params} and returns the loss before the update.
   *
   * @param clip the global gradient norm to clip to, or 0 for none
   */
  static double run(
      NDManager parent, Map<String, NDArray> params, Optimizer optimizer, double clip, Body body) {
    Engine engine = parent.getEngine();
    return Steps.scoped(
        parent,
        m -> {
          Gradients.zero(params);
          NDArray loss;
          try (GradientCollector collector = engine.newGradientCollector()) {
            loss = body.loss(m);
            collector.backward(loss);
          }
          body.afterBackward();
          Map<String, NDArray> grads = Gradients.of(params, m);
          if (clip > 0) {
            GradClip.byGlobalNorm(grads.values(), clip);
          }
          optimizer.step(params, grads);
          return (double) loss.getFloat();
        });
  }
}
