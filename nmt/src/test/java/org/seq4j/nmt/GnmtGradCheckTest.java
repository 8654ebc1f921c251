package org.seq4j.nmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nn.Attention;
import org.seq4j.testing.FiniteDifference;
import org.seq4j.testing.Parity;

/**
 * Finite-difference check of a whole tiny {@link Gnmt} in float64: 3 encoder and 3 decoder layers
 * of 3 (so that the third layers are residual), a padded batch with an empty source, the
 * label-smoothed loss. For a few random entries of every parameter, the central difference {@code
 * (L(θ + ε) − L(θ − ε)) / 2ε} with {@code ε = 1e-5} is compared with the autograd gradient within
 * {@link Parity#TOLERANCE}.
 */
class GnmtGradCheckTest {
  private static final double EPS = 1e-5;
  private static final int ENTRIES_PER_TENSOR = 2;
  private static final List<int[]> SOURCES =
      List.of(new int[] {4, 5, 6, 7}, new int[] {}, new int[] {8, 4});
  private static final List<int[]> TARGETS =
      List.of(new int[] {7, 6}, new int[] {5, 8, 4}, new int[] {4});

  private Engine engine;
  private NDManager manager;
  private final Random random = new Random(17);

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(23);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  static Stream<GnmtConfig> configs() {
    GnmtConfig base = GnmtConfig.small(9).withSizes(3, 3).withLayers(3, 3).withDropout(0f);
    return Stream.of(
        base,
        base.withAttention(Attention.Kind.LUONG)
            .withQuery(GnmtConfig.Query.GNMT)
            .withTying(false, false));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void autogradMatchesCentralDifferences(GnmtConfig config) {
    Gnmt gnmt = new Gnmt(config);
    gnmt.initialize(manager, DataType.FLOAT64, 0.8f);
    GnmtBatch batch = GnmtBatch.of(manager, SOURCES, TARGETS, config);
    Supplier<NDArray> loss = () -> gnmt.loss(batch, 0.1f, false);
    try (GradientCollector collector = engine.newGradientCollector()) {
      collector.backward(loss.get());
    }
    String what = "gradcheck gnmt " + config.attention() + " " + config.query().id() + ":";
    double worst = 0;
    for (Map.Entry<String, NDArray> p : gnmt.stateDict().entrySet()) {
      NDArray array = p.getValue();
      double[] analytic = array.getGradient().toDoubleArray();
      double[] values = array.toDoubleArray();
      for (int k = 0; k < ENTRIES_PER_TENSOR; k++) {
        int i = random.nextInt(values.length);
        worst =
            Math.max(
                worst,
                FiniteDifference.assertEntry(
                    what + " " + p.getKey(), array, values, analytic, i, EPS, loss));
      }
    }
    System.out.printf("%-60s worst relative error %.3e%n", what, worst);
  }
}
