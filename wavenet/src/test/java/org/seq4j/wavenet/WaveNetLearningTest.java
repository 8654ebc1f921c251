package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/**
 * End to end in seconds: a small WaveNet trained with Adam on random windows of a μ-law-quantized
 * periodic signal learns to predict it. A period of 20 samples lies inside the receptive field
 * (32), so the next sample is a function of the context and the loss can fall far below its start
 * (about ln 256 ≈ 5.5 nats).
 */
class WaveNetLearningTest {
  private static final int PERIOD = 20;
  private static final int STEPS = 250;
  private static final int BATCH = 8;

  @Test
  void lossFallsWellBelowItsStart() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(17);
    int[] signal = muLawClasses(4000);
    WaveNet net = new WaveNet(WaveNetConfig.stacked(2, 4, 16, 16, 16));
    int window = (int) net.receptiveField() + 64;
    SplittableRandom random = new SplittableRandom(5);
    double first = 0;
    double last = 0;
    long start = System.nanoTime();
    try (NDManager manager = engine.newBaseManager()) {
      net.initialize(manager);
      Map<String, NDArray> params = net.stateDict();
      try (Optimizer adam = new Adam(manager, 1e-2)) {
        for (int step = 0; step < STEPS; step++) {
          long[] batch = new long[BATCH * window];
          for (int b = 0; b < BATCH; b++) {
            int offset = random.nextInt(signal.length - window);
            for (int t = 0; t < window; t++) {
              batch[b * window + t] = signal[offset + t];
            }
          }
          double loss =
              Steps.scoped(
                  manager,
                  m -> {
                    NDArray classes = m.create(batch, new Shape(BATCH, window));
                    NDArray value;
                    try (GradientCollector collector = engine.newGradientCollector()) {
                      value = net.loss(classes, null, null, true);
                      collector.backward(value);
                    }
                    adam.step(params, Gradients.of(params, m));
                    Gradients.zero(params);
                    return (double) value.getFloat();
                  });
          if (step < 5) {
            first += loss / 5;
          }
          if (step >= STEPS - 10) {
            last += loss / 10;
          }
        }
      }
    }
    System.out.printf(
        "wavenet learning: %s, loss %.3f -> %.3f nats/sample in %d steps, %.1f s%n",
        net.config(), first, last, STEPS, (System.nanoTime() - start) / 1e9);
    assertTrue(first > 4, "the loss starts near ln 256, got " + first);
    assertTrue(last < 0.1 * first, "the loss fell from " + first + " to " + last);
  }

  /** Two partials with a common period of {@link #PERIOD} samples, μ-law encoded (μ = 255). */
  private static int[] muLawClasses(int length) {
    int[] classes = new int[length];
    double mu = 255;
    for (int n = 0; n < length; n++) {
      double x =
          0.6 * Math.sin(2 * Math.PI * n / PERIOD) + 0.3 * Math.sin(2 * Math.PI * 3 * n / PERIOD);
      // F(x) = sign(x) ln(1 + μ|x|) / ln(1 + μ), then [-1, 1] to 256 levels.
      double y = Math.signum(x) * Math.log1p(mu * Math.abs(x)) / Math.log1p(mu);
      classes[n] = (int) Math.min(255, Math.floor((y + 1) / 2 * 256));
    }
    return classes;
  }
}
