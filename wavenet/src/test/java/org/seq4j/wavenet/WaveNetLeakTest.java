package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.GradClip;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/** 200 training steps of a conditioned WaveNet keep the number of live native arrays flat. */
class WaveNetLeakTest {

  @Test
  void twoHundredTrainingStepsKeepLiveArraysFlat() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(3);
    try (NDManager manager = engine.newBaseManager()) {
      WaveNetConfig config =
          new WaveNetConfig(32, 8, 8, 8, 2, 2, new int[] {1, 2, 4, 1, 2, 4}, 0, 0, 0, 0, null)
              .withGlobalConditioning(3, 4)
              .withLocalConditioning(2, 4, WaveNetConfig.Upsampling.TRANSPOSED);
      WaveNet net = new WaveNet(config);
      net.initialize(manager);
      Map<String, NDArray> params = net.stateDict();
      List<Integer> live = new ArrayList<>();
      try (Optimizer adam = new Adam(manager, 1e-3)) {
        for (int step = 0; step < 200; step++) {
          Steps.run(
              manager,
              m -> {
                NDArray classes = m.randomInteger(0, 32, new Shape(4, 32), DataType.INT64);
                NDArray ids = m.randomInteger(0, 3, new Shape(4), DataType.INT64);
                NDArray features = m.randomNormal(new Shape(4, 2, 8));
                try (GradientCollector collector = engine.newGradientCollector()) {
                  collector.backward(net.loss(classes, ids, features, true));
                }
                Map<String, NDArray> grads = Gradients.of(params, m);
                GradClip.byGlobalNorm(grads.values(), 1.0);
                adam.step(params, grads);
                Gradients.zero(params);
              });
          // Inference with padding must not leak either.
          Steps.run(
              manager,
              m ->
                  net.logits(
                      m.randomInteger(0, 32, new Shape(2, 16), DataType.INT64),
                      m.randomInteger(0, 3, new Shape(2), DataType.INT64),
                      m.randomNormal(new Shape(2, 2, 4)),
                      false));
          live.add(manager.getManagedArrays().size());
        }
      }
      for (int i = 10; i < live.size(); i++) {
        assertEquals(live.get(9), live.get(i), "live native arrays changed at step " + (i + 1));
      }
    }
  }
}
