package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.wavenet.Sampler;
import org.seq4j.wavenet.WaveNet;
import org.seq4j.wavenet.WaveNetConfig;
import org.seq4j.wavenet.WaveNetGenerator;

/** The per-op DJL generator computes what seq4j's plain-Java generator computes. */
class DjlCachedWaveNetGeneratorTest {

  private static void assertAgrees(WaveNetConfig config, int batch, float temperature) {
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Seq4jEngine.get().setRandomSeed(5);
      WaveNet net = new WaveNet(config);
      net.initialize(manager);
      Map<String, NDArray> weights = net.stateDict();
      int steps = 60;
      int[][] expected;
      float[][][] expectedLogits;
      int[][] inputs = new int[batch][steps];
      try (WaveNetGenerator fast = new WaveNetGenerator(config, weights)) {
        expected = fast.generate(steps, batch, temperature, 7);
        for (int c = 0; c < batch; c++) {
          inputs[c][0] = fast.silence();
          System.arraycopy(expected[c], 0, inputs[c], 1, steps - 1);
        }
        expectedLogits = fast.logits(inputs, null, null);
      }
      try (DjlCachedWaveNetGenerator djl =
          new DjlCachedWaveNetGenerator(config, weights, manager)) {
        float[][][] logits = djl.logits(inputs);
        double worst = 0;
        for (int c = 0; c < batch; c++) {
          worst = Math.max(worst, WaveNetBench.maxAbsDiff(logits[c], expectedLogits[c]));
        }
        assertTrue(worst <= 1e-4, "logits differ by " + worst);
        int[][] samples = djl.generate(steps, batch, temperature, 7);
        for (int c = 0; c < batch; c++) {
          assertArrayEquals(expected[c], samples[c], "clip " + c);
        }
      }
    }
  }

  @Test
  void greedyMatchesTheFastGenerator() {
    assertAgrees(
        new WaveNetConfig(256, 16, 12, 24, 2, 2, new int[] {1, 2, 4, 8, 1, 2}, 0, 0, 0, 0, null),
        1,
        Sampler.GREEDY);
  }

  @Test
  void seededSamplingOfABatchMatchesTheFastGenerator() {
    assertAgrees(
        new WaveNetConfig(64, 8, 8, 16, 2, 2, new int[] {1, 2, 4, 1, 2, 4}, 0, 0, 0, 0, null),
        3,
        1f);
  }

  @Test
  void otherKernelsMatchTheFastGenerator() {
    assertAgrees(
        new WaveNetConfig(32, 8, 6, 10, 3, 1, new int[] {1, 2, 3}, 0, 0, 0, 0, null), 2, 0.8f);
  }

  @Test
  void conditionedNetworksAreRejected() {
    WaveNetConfig global = WaveNetConfig.stacked(1, 2, 4, 4, 4).withGlobalConditioning(2, 3);
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new DjlCachedWaveNetGenerator(global, Map.of(), manager));
      assertEquals("config: unconditioned networks only", e.getMessage());
    }
  }
}
