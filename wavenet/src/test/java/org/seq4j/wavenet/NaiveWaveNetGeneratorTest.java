package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
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
  void fastAndNaiveGiveTheSameSamplesWithLocalConditioning() {
    WaveNetConfig config =
        WaveNetConfig.stacked(1, 4, 8, 8, 16)
            .withGlobalConditioning(2, 3)
            .withLocalConditioning(3, 4, WaveNetConfig.Upsampling.TRANSPOSED);
    check(config, new int[] {1, 0}, 1.0f);
  }

  @Test
  void missingOrUnexpectedLocalFeaturesAreRejectedClearly() {
    Engine engine = Seq4jEngine.get();
    try (NDManager m = engine.newBaseManager()) {
      WaveNet local =
          new WaveNet(
              WaveNetConfig.stacked(1, 2, 4, 4, 4)
                  .withLocalConditioning(2, 4, WaveNetConfig.Upsampling.REPEAT));
      local.initialize(m);
      int[][] priming = {{128}};
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> new NaiveWaveNetGenerator(local).generate(3, priming, 1f, 1, null, null));
      assertTrue(missing.getMessage().contains("locally conditioned"), missing.getMessage());
      WaveNet plain = new WaveNet(WaveNetConfig.stacked(1, 2, 4, 4, 4));
      plain.initialize(m);
      LocalConditioning features = LocalConditioning.of(new float[][][] {{{1f, 2f}}});
      assertThrows(
          IllegalArgumentException.class,
          () -> new NaiveWaveNetGenerator(plain).generate(3, priming, 1f, 1, null, features));
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
      LocalConditioning local = null;
      if (config.hasLocalConditioning()) {
        // Features at the sample rate: the transposed-convolution upsampling of random frames.
        int frames = (priming[0].length + samples) / config.hop() + 1;
        float[] raw = randomFrames(2 * config.localChannels() * frames);
        float[] up =
            net.upsample(m.create(raw, new Shape(2, config.localChannels(), frames)))
                .toFloatArray();
        int steps = frames * config.hop();
        float[][][] features = new float[2][steps][config.localChannels()];
        for (int c = 0; c < 2; c++) {
          for (int t = 0; t < steps; t++) {
            for (int l = 0; l < config.localChannels(); l++) {
              features[c][t][l] = up[(c * config.localChannels() + l) * steps + t];
            }
          }
        }
        local = LocalConditioning.of(features);
      }
      int[][] naive =
          new NaiveWaveNetGenerator(net).generate(samples, priming, temperature, 11, ids, local);
      int[][] fast;
      try (WaveNetGenerator g = new WaveNetGenerator(config, net.stateDict())) {
        fast = g.generate(samples, priming, temperature, 11, ids, local, null);
      }
      for (int c = 0; c < priming.length; c++) {
        assertArrayEquals(naive[c], fast[c], config + " clip " + c);
      }
      assertTrue(
          Arrays.stream(naive[0]).distinct().count() > 1 || temperature <= Sampler.GREEDY,
          "sampling should vary");
    }
  }

  private static float[] randomFrames(int n) {
    SplittableRandom r = new java.util.SplittableRandom(3);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
    return x;
  }
}
