package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/**
 * A small TCN with a 1×1 output convolution learns to repeat its input {@value #DELAY} steps later
 * (a task only a causal model with a receptive field of more than {@value #DELAY} steps can solve):
 * the mean squared error of the last 10 steps is under a tenth of the first step's, in a few
 * seconds; and training steps leave the number of live native arrays flat.
 */
class TcnLearningTest {
  private static final int DELAY = 5;
  private static final int STEPS = 300;
  private static final int TIME = 32;

  @Test
  void learnsToDelayItsInput() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(3);
    try (NDManager manager = engine.newBaseManager()) {
      Tcn tcn = Tcn.builder().inputSize(1).channels(16, 16, 16).dropout(0).build();
      CausalConv1d head = new CausalConv1d(16, 1, 1, 1);
      tcn.initialize(manager);
      head.initialize(manager);
      assertTrue(tcn.receptiveField() > DELAY);
      Map<String, NDArray> params = new LinkedHashMap<>(tcn.stateDict());
      head.stateDict().forEach((name, array) -> params.put("head." + name, array));
      double[] losses = new double[STEPS];
      long[] live = new long[STEPS];
      long started = System.nanoTime();
      try (Optimizer adam = new Adam(manager, 1e-2)) {
        for (int step = 0; step < STEPS; step++) {
          int at = step;
          Steps.run(
              manager,
              m -> {
                NDArray x = m.randomNormal(new Shape(16, 1, TIME));
                // target[t] = x[t − DELAY], scored where it exists: t ≥ DELAY.
                NDArray target = x.get(new NDIndex(":, :, :{}", TIME - DELAY));
                try (GradientCollector collector = engine.newGradientCollector()) {
                  NDArray y = head.forward(tcn.forward(x, true));
                  NDArray loss = Losses.mse(y.get(new NDIndex(":, :, {}:", DELAY)), target);
                  losses[at] = loss.getFloat();
                  collector.backward(loss);
                }
                adam.step(params, Gradients.of(params, m));
                Gradients.zero(params);
              });
          live[step] = manager.getManagedArrays().size();
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double last = 0;
      for (int i = STEPS - 10; i < STEPS; i++) {
        last += losses[i] / 10;
      }
      System.out.printf(
          "tcn delay-%d: loss %.4f at the first step, %.5f over the last 10 (%.1f%% of it), "
              + "%d steps in %.1f s%n",
          DELAY, losses[0], last, 100 * last / losses[0], STEPS, seconds);
      assertTrue(last < 0.1 * losses[0], "loss fell from " + losses[0] + " to " + last);
      for (int i = 10; i < STEPS; i++) {
        assertEquals(live[9], live[i], "live native arrays changed at step " + (i + 1));
      }
    }
  }
}
