package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.GradClip;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/** 1,000 training steps of recurrent layers keep the number of live native arrays flat. */
class RecurrentLayerLeakTest {

  @Test
  void thousandTrainingStepsKeepLiveArraysFlat() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(5);
    try (NDManager manager = engine.newBaseManager()) {
      Lstm lstm =
          Lstm.builder()
              .inputSize(8)
              .hiddenSize(8)
              .layers(3)
              .bidirectionalFirstLayer()
              .residualFrom(3)
              .dropout(0.1f)
              .build();
      Gru gru = Gru.builder().inputSize(8).hiddenSize(8).layers(2).bidirectional().build();
      lstm.initialize(manager);
      gru.initialize(manager);
      Map<String, NDArray> params = new java.util.LinkedHashMap<>();
      lstm.stateDict().forEach((k, v) -> params.put("lstm." + k, v));
      gru.stateDict().forEach((k, v) -> params.put("gru." + k, v));
      SplittableRandom random = new SplittableRandom(1);
      List<Integer> live = new ArrayList<>();
      try (Optimizer adam = new Adam(manager, 1e-3, 0.9, 0.999, 1e-8, 0)) {
        for (int step = 0; step < 1000; step++) {
          int[] lengths = {12, 1 + random.nextInt(12), 1 + random.nextInt(12), 5};
          boolean varlen = step % 2 == 0;
          Steps.run(
              manager,
              m -> {
                NDArray x = m.randomNormal(new Shape(4, 12, 8));
                try (GradientCollector collector = engine.newGradientCollector()) {
                  RnnOutput a = lstm.forward(x, varlen ? lengths : null, null, true);
                  RnnOutput b = gru.forward(x, varlen ? lengths : null, null, true);
                  collector.backward(
                      a.output().sum().add(b.output().sum()).add(a.state().c().sum()));
                }
                Map<String, NDArray> grads = Gradients.of(params, m);
                GradClip.byGlobalNorm(grads.values(), 1.0);
                adam.step(params, grads);
                Gradients.zero(params);
              });
          // Inference outside a step scope must not leak either.
          Steps.run(manager, m -> lstm.forward(m.randomNormal(new Shape(2, 12, 8))));
          live.add(manager.getManagedArrays().size());
        }
      }
      for (int i = 10; i < live.size(); i++) {
        assertEquals(live.get(9), live.get(i), "live native arrays changed at step " + (i + 1));
      }
    }
  }
}
