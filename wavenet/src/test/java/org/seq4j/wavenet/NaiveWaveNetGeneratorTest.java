package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

/** Seeded, the fast generator and the naive one (the block over the receptive field) agree. */
class NaiveWaveNetGeneratorTest {

  @Test
  void fastAndNaiveGiveTheSameSamples() {
    check(WaveNetConfig.stacked(2, 4, 16, 16, 32), null, 1.0f);
    check(WaveNetConfig.stacked(2, 4, 16, 16, 32), null, Sampler.GREEDY);
    check(
        WaveNetConfig.stacked(1, 5, 8, 12, 16).withGlobalConditioning(3, 4),
        new int[] {2, 0},
        0.8f);
  }

  @Test
  void localConditioningIsRejectedClearly() {
    Engine engine = Seq4jEngine.get();
    try (NDManager m = engine.newBaseManager()) {
      WaveNet net =
          new WaveNet(
              WaveNetConfig.stacked(1, 2, 4, 4, 4)
                  .withLocalConditioning(2, 4, WaveNetConfig.Upsampling.REPEAT));
      net.initialize(m);
      assertThrows(IllegalArgumentException.class, () -> new NaiveWaveNetGenerator(net));
    }
  }

  private static void check(WaveNetConfig config, int[] ids, float temperature) {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(5);
    try (NDManager m = engine.newBaseManager()) {
      WaveNet net = new WaveNet(config);
      net.initialize(m);
      int samples = 3 * (int) net.receptiveField() + 20; // the window slides well past the start
      int[][] priming = {{128, 130}, {120, 128}};
      int[][] naive =
          new NaiveWaveNetGenerator(net).generate(samples, priming, temperature, 11, ids);
      int[][] fast;
      try (WaveNetGenerator g = new WaveNetGenerator(config, net.stateDict())) {
        fast = g.generate(samples, priming, temperature, 11, ids, null, null);
      }
      for (int c = 0; c < priming.length; c++) {
        assertArrayEquals(naive[c], fast[c], config + " clip " + c);
      }
      assertTrue(
          Arrays.stream(naive[0]).distinct().count() > 1 || temperature <= Sampler.GREEDY,
          "sampling should vary");
    }
  }
}
