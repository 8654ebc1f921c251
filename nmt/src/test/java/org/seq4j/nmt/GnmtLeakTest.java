package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

/**
 * Training steps in {@link Steps}, and decoding through {@link StepDecoder} in a child manager with
 * no enclosing scope, keep the number of live native arrays flat: nothing lands in the weights'
 * manager.
 */
class GnmtLeakTest {
  private static final List<int[]> SOURCES =
      List.of(new int[] {4, 5, 6}, new int[] {}, new int[] {7, 8, 9, 10, 11});
  private static final List<int[]> TARGETS =
      List.of(new int[] {6, 5}, new int[] {4}, new int[] {11, 10, 9});

  @Test
  void trainingAndDecodingKeepLiveArraysFlat() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(6);
    GnmtConfig config = GnmtConfig.small(12).withSizes(8, 8).withLayers(3, 3).withDropout(0.1f);
    try (NDManager manager = engine.newBaseManager()) {
      Gnmt gnmt = GnmtTesting.model(config, manager, ai.djl.ndarray.types.DataType.FLOAT32);
      Map<String, NDArray> params = gnmt.stateDict();
      List<Integer> live = new ArrayList<>();
      try (Optimizer adam = new Adam(manager, 1e-3)) {
        for (int step = 0; step < 60; step++) {
          Steps.run(
              manager,
              m -> {
                GnmtBatch batch = GnmtBatch.of(m, SOURCES, TARGETS, config);
                try (GradientCollector collector = engine.newGradientCollector()) {
                  collector.backward(gnmt.loss(batch, 0.1f, true));
                }
                Map<String, NDArray> grads = Gradients.of(params, m);
                GradClip.byGlobalNorm(grads.values(), 1.0);
                adam.step(params, grads);
                Gradients.zero(params);
              });
          try (NDManager decoding = manager.newSubManager()) {
            StepDecoder.DecoderState state = gnmt.start(decoding, SOURCES);
            int[] tokens = {2, 2, 2};
            for (int t = 0; t < 4; t++) {
              StepDecoder.StepOutput out = gnmt.step(decoding, state, tokens);
              tokens = GreedyDecoding.argMax(out.logProbs());
              state = out.next().select(decoding, new int[] {2, 0, 1});
            }
          }
          live.add(manager.getManagedArrays().size());
        }
      }
      for (int i = 10; i < live.size(); i++) {
        assertEquals(live.get(9), live.get(i), "live native arrays changed at step " + (i + 1));
      }
      System.out.printf("gnmt leak: %d live arrays after every step%n", live.get(live.size() - 1));
    }
  }
}
