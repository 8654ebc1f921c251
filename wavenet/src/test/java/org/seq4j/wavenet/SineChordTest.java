package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seq4j.audio.Fft;
import org.seq4j.audio.MuLaw;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.optim.Adam;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;
import org.seq4j.train.StepStats;
import org.seq4j.train.TrainListener;
import org.seq4j.train.TrainLoop;

/**
 * End to end in seconds: a 14-layer WaveNet of width 32 trained by {@link WaveNetTask} and the
 * training loop on a three-tone chord at 2 kHz learns it almost perfectly, and what the fast
 * generator then draws from silence is that chord — the same samples, seeded, as the naive
 * generator draws.
 *
 * <p>The loss is the training loss (the mean of the first 10 and of the last 20 steps); the
 * held-out loss of a clip at another phase, printed too, is higher by the first few samples after
 * silence, where the phase cannot be known yet.
 *
 * <p>The chord is a major triad of 200, 250 and 300 Hz (4:5:6), so the signal repeats every 40
 * samples, well inside the receptive field of 256: the next sample is a function of the context and
 * the loss can approach 0.
 */
class SineChordTest {
  private static final int RATE = 2000;
  private static final double[] TONES = {200, 250, 300};
  private static final int PERIOD = 40;

  @Test
  void learnsTheChordAndGeneratesIt() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(3);
    // 14 layers: dilations 1..64 twice; residual, gate and skip width 32.
    WaveNetConfig config = WaveNetConfig.stacked(2, 7, 32, 32, 32);
    MuLawCorpus corpus =
        MuLawCorpus.of(RATE, chord(6 * RATE, 0), List.of(chord(RATE, 17), chord(RATE / 2, 5)));
    long start = System.nanoTime();
    try (NDManager manager = engine.newBaseManager()) {
      WaveNet net = new WaveNet(config);
      net.initialize(manager);
      WaveNetTask task = new WaveNetTask(net, corpus, 4, 128, 11);
      double initialHeldOut = task.validate(manager).get("loss");
      int steps = 150;
      List<Double> losses = new ArrayList<>();
      TrainLoop loop = TrainLoop.builder().maxSteps(steps).clipNorm(1.0).seed(5).build();
      loop.addListener(
          new TrainListener() {
            @Override
            public void onStep(StepStats stats) {
              losses.add(stats.loss());
            }
          });
      try (Optimizer adam = new Adam(manager, 1e-2)) {
        loop.run(task, adam, LrSchedule.warmupCosine(1e-2, 15, steps, 1e-4), manager);
      }
      double initial = mean(losses.subList(0, 10));
      double trained = mean(losses.subList(steps - 20, steps));
      double heldOut = task.validate(manager).get("loss");
      double trainSeconds = (System.nanoTime() - start) / 1e9;

      int samples = 2 * RATE;
      int[][] fast;
      try (WaveNetGenerator generator = new WaveNetGenerator(config, net.stateDict(), 1)) {
        fast = generator.generate(samples, 1, 1.0f, 23);
      }
      double onChord = chordPowerShare(MuLaw.decode(fast[0]), (int) net.receptiveField());
      int compared = 400;
      int[][] naive =
          new NaiveWaveNetGenerator(net)
              .generate(compared, new int[][] {{config.classes() / 2}}, 1.0f, 23, null);
      int[] fastHead = java.util.Arrays.copyOf(fast[0], compared);

      System.out.printf(
          "sine chord: %s; training loss %.3f -> %.5f nats/sample (%.3f%%) in %d steps, %.1f s;"
              + " held-out %.3f -> %.4f; generated %d samples, %.1f%% of the power on"
              + " 200/250/300 Hz%n",
          config,
          initial,
          trained,
          100 * trained / initial,
          steps,
          trainSeconds,
          initialHeldOut,
          heldOut,
          samples,
          100 * onChord);
      assertTrue(trained < 0.1, "loss " + trained + " nats/sample, must be < 0.1");
      assertTrue(trained < 0.02 * initial, "loss " + trained + " is not < 2% of " + initial);
      assertTrue(onChord >= 0.7, "only " + onChord + " of the power is on the chord");
      assertArrayEquals(fastHead, naive[0], "fast and naive draw the same samples");
    }
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  /**
   * The chord, μ-law encoded, starting at sample {@code phase}. The time index is taken modulo the
   * period so that the classes repeat exactly: computed from {@code n} itself, rounding flips about
   * 5% of them between periods (near zero and near class boundaries), noise no model can learn.
   */
  private static int[] chord(int length, int phase) {
    float[] x = new float[length];
    for (int n = 0; n < length; n++) {
      double v = 0;
      for (double f : TONES) {
        v += 0.25 * Math.sin(2 * Math.PI * f * ((n + phase) % PERIOD) / RATE);
      }
      x[n] = (float) v;
    }
    return MuLaw.encode(x);
  }

  /**
   * The share of the power of {@code x} (after its first {@code skip} samples, a Hann window) in
   * the FFT bins within 10 Hz of the three tones.
   */
  private static double chordPowerShare(float[] x, int skip) {
    int n = Integer.highestOneBit(x.length - skip);
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
      re[i] = w * x[x.length - n + i];
    }
    Fft.transform(re, im);
    double total = 0;
    double chord = 0;
    for (int k = 1; k < n / 2; k++) {
      double p = re[k] * re[k] + im[k] * im[k];
      total += p;
      double hz = k * (double) RATE / n;
      for (double f : TONES) {
        if (Math.abs(hz - f) <= 10) {
          chord += p;
        }
      }
    }
    return chord / total;
  }
}
