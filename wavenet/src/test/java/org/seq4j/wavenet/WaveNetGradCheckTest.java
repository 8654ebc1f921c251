package org.seq4j.wavenet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.FiniteDifference;
import org.seq4j.testing.Parity;

/**
 * Finite-difference check of a whole {@link WaveNet} with global and local conditioning, in float64
 * on tiny shapes. The loss combines the padded path and the training path: {@code L = sum(logits ⊙
 * R) + loss(window)}. For a few entries {@code θ} of every parameter, of the one-hot input and of
 * the local features, the central difference {@code (L(θ + ε) − L(θ − ε)) / 2ε} with {@code ε =
 * 1e-5} is compared with the autograd gradient; its own error is below 1e-9 here, so the relative
 * error allowed is {@link Parity#TOLERANCE}.
 */
class WaveNetGradCheckTest {
  private static final double EPS = 1e-5;
  private static final int ENTRIES_PER_TENSOR = 3;
  private static final int BATCH = 2;
  private static final int TIME = 12;

  private Engine engine;
  private NDManager manager;
  private final Random random = new Random(13);

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(9);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @ParameterizedTest
  @EnumSource(WaveNetConfig.Upsampling.class)
  void autogradMatchesCentralDifferences(WaveNetConfig.Upsampling upsampling) {
    int kernel = upsampling == WaveNetConfig.Upsampling.REPEAT ? 3 : 2;
    WaveNetConfig config =
        new WaveNetConfig(6, 3, 3, 4, kernel, 2, new int[] {1, 2}, 0, 0, 0, 0, null)
            .withGlobalConditioning(2, 2)
            .withLocalConditioning(2, 3, upsampling);
    WaveNet net = new WaveNet(config);
    net.initialize(manager, DataType.FLOAT64);
    NDArray classes = manager.randomInteger(0, 6, new Shape(BATCH, TIME), DataType.INT64);
    NDArray ids = manager.create(new long[] {1, 0});
    NDArray features = manager.randomNormal(0, 1, new Shape(BATCH, 2, TIME / 3), DataType.FLOAT64);
    NDArray oneHot = net.oneHot(classes);
    NDArray r = manager.randomNormal(0, 1, new Shape(BATCH, 6, TIME), DataType.FLOAT64);
    Supplier<NDArray> loss =
        () ->
            net.logitsOfOneHot(oneHot, ids, features)
                .mul(r)
                .sum()
                .add(net.loss(classes, ids, features, true));
    oneHot.setRequiresGradient(true);
    features.setRequiresGradient(true);
    try (GradientCollector collector = engine.newGradientCollector()) {
      collector.backward(loss.get());
    }
    String what = "gradcheck wavenet " + upsampling + ":";
    double worst = 0;
    for (Map.Entry<String, NDArray> p : net.stateDict().entrySet()) {
      worst = Math.max(worst, check(what + " " + p.getKey(), p.getValue(), loss));
    }
    // The one-hot input reaches the first term only (loss() encodes the classes itself).
    worst = Math.max(worst, check(what + " one-hot input", oneHot, loss));
    worst = Math.max(worst, check(what + " features", features, loss));
    System.out.printf("%-60s worst relative error %.3e%n", what, worst);
  }

  private double check(String what, NDArray array, Supplier<NDArray> loss) {
    double[] analytic = array.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    double[] values = array.toDoubleArray();
    double worst = 0;
    for (int k = 0; k < ENTRIES_PER_TENSOR; k++) {
      int i = random.nextInt(values.length);
      worst =
          Math.max(
              worst, FiniteDifference.assertEntry(what, array, values, analytic, i, EPS, loss));
    }
    return worst;
  }
}
