package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import java.util.Map;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Gradients;

/**
 * One implementation of the recurrent benchmark in this JVM: its weights, the batch's input and the
 * loss weight, and the call that the rounds time.
 *
 * <p>Every call runs in {@link Steps#run} (a child manager and a scope), so nothing it creates
 * outlives it. A training call is the forward pass inside a gradient collector, the backward pass
 * of {@code sum(output * lossWeight)} and zeroing the parameters' gradients, which would otherwise
 * accumulate; an inference call is the forward pass with gradients off.
 */
abstract class JavaRnnStep {
  private final RnnWorkload workload;
  private final RnnBenchMode mode;
  private final NDManager manager;
  private final Engine engine;
  private final NDArray input;
  private final NDArray lossWeight;

  /**
   * Seeds the engine's generator with the workload's seed and draws the input {@code [B, T, C]} and
   * the loss weight {@code [B, T, D·H]} from a standard normal, in {@code manager}, which must
   * outlive the calls.
   */
  JavaRnnStep(RnnWorkload workload, RnnBenchMode mode, NDManager manager) {
    this.workload = workload;
    this.mode = mode;
    this.manager = manager;
    this.engine = manager.getEngine();
    engine.setRandomSeed((int) workload.seed());
    this.input =
        manager.randomNormal(new Shape(workload.batch(), workload.steps(), workload.inputSize()));
    this.lossWeight =
        manager.randomNormal(new Shape(workload.batch(), workload.steps(), workload.outputSize()));
  }

  /** The implementation's name in reports. */
  abstract String impl();

  /** The layer's output {@code [B, T, D·H]} for {@code input}. */
  abstract NDArray forward(NDArray input, boolean training);

  /** The trainable parameters, by name. */
  abstract Map<String, NDArray> parameters();

  /** The workload this step runs. */
  RnnWorkload workload() {
    return workload;
  }

  /**
   * Checks that this step and {@code other}, which must hold the same weights, compute the same
   * inference output for this step's input, within {@code tolerance} (largest absolute difference).
   * Two implementations that disagree cannot be compared for speed.
   *
   * @throws IllegalStateException naming both implementations and the difference
   */
  void checkAgreesWith(JavaRnnStep other, float tolerance) {
    float difference =
        Steps.scoped(
            manager,
            m -> forward(input, false).sub(other.forward(input, false)).abs().max().getFloat());
    if (!(difference <= tolerance)) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "%s and %s disagree on the %s %s inference output: largest difference %.3g > %.3g",
              impl(),
              other.impl(),
              workload.cell(),
              workload.layout().cliName(),
              difference,
              tolerance));
    }
  }

  /** The timed call. */
  Runnable call() {
    if (mode.training()) {
      return () ->
          Steps.run(
              manager,
              m -> {
                forwardBackward();
                Gradients.zero(parameters());
              });
    }
    return () -> Steps.run(manager, m -> forward(input, false));
  }

  /**
   * Runs one call and checks what it computed: the output's shape, that it is finite and, when
   * training, that every parameter received a finite, non-zero gradient.
   *
   * @throws IllegalStateException describing the first problem found
   */
  void check() {
    try {
      Steps.run(
          manager,
          m -> {
            NDArray output = mode.training() ? forwardBackward() : forward(input, false);
            Shape expected = new Shape(workload.batch(), workload.steps(), workload.outputSize());
            if (!output.getShape().equals(expected)) {
              throw problem("output shape " + output.getShape() + ", expected " + expected);
            }
            if (!Float.isFinite(output.abs().sum().getFloat())) {
              throw problem("non-finite output");
            }
            if (mode.training()) {
              checkGradients(m);
            }
          });
    } finally {
      if (mode.training()) {
        Gradients.zero(parameters());
      }
    }
  }

  /** The forward pass with gradients recorded, then the backward pass of the loss. */
  private NDArray forwardBackward() {
    try (GradientCollector collector = engine.newGradientCollector()) {
      NDArray output = forward(input, true);
      collector.backward(output.mul(lossWeight).sum());
      return output;
    }
  }

  private void checkGradients(NDManager m) {
    for (Map.Entry<String, NDArray> e : Gradients.of(parameters(), m).entrySet()) {
      float sum = e.getValue().abs().sum().getFloat();
      if (!Float.isFinite(sum) || sum == 0) {
        throw problem("gradient of " + e.getKey() + " is " + (sum == 0 ? "zero" : "not finite"));
      }
    }
  }

  private IllegalStateException problem(String what) {
    return new IllegalStateException(
        impl() + " " + mode.op() + " (" + workload.layout().cliName() + "): " + what);
  }
}
