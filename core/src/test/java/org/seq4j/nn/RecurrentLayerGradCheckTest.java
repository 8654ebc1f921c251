package org.seq4j.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.FiniteDifference;
import org.seq4j.testing.Parity;

/**
 * Finite-difference checks of the fused layers' gradients, in float64 on tiny shapes, for the paths
 * PyTorch's fixtures cannot cover: residual connections under a bidirectional first layer, and
 * variable lengths with residual connections and an initial state.
 *
 * <p>For a few entries {@code θ} of every parameter, of the input and of the initial state, the
 * central difference {@code (L(θ + ε) − L(θ − ε)) / 2ε} with {@code ε = 1e-5} is compared with the
 * autograd gradient. In float64 its error is about {@code ε² L''' + 1e-16 L / ε}, below 1e-9 here,
 * so the relative error allowed is {@link Parity#TOLERANCE} (1e-5, with the absolute floor of
 * 1e-8): a wrong gradient misses by orders of magnitude more.
 */
class RecurrentLayerGradCheckTest {
  private static final double EPS = 1e-5;
  private static final int ENTRIES_PER_TENSOR = 3;
  private static final int INPUT = 3;
  private static final int HIDDEN = 3;
  private static final int BATCH = 3;
  private static final int TIME = 4;

  private Engine engine;
  private NDManager manager;
  private final Random random = new Random(11);

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    manager = engine.newBaseManager();
    engine.setRandomSeed(5);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  record Config(String name, boolean firstOnly, int layers, int residualFrom, int[] lengths) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> configurations() {
    List<Config> configs =
        List.of(
            new Config("bidirectional first layer, residual from 3", true, 3, 3, null),
            new Config("variable lengths, bidirectional", false, 2, 0, new int[] {4, 2, 3}),
            new Config(
                "variable lengths, bidirectional, residual from 2",
                false,
                2,
                2,
                new int[] {4, 1, 3}),
            new Config(
                "variable lengths, bidirectional first layer, residual from 3",
                true,
                3,
                3,
                new int[] {2, 4, 1}));
    return Stream.of("lstm", "gru", "rnn_tanh")
        .flatMap(mode -> configs.stream().map(c -> Arguments.of(mode, c)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("configurations")
  void autogradMatchesCentralDifferences(String mode, Config config) {
    RecurrentLayer.Builder<?> b =
        RnnTesting.builder(mode)
            .inputSize(INPUT)
            .hiddenSize(HIDDEN)
            .layers(config.layers())
            .residualFrom(config.residualFrom());
    if (config.firstOnly()) {
      b.bidirectionalFirstLayer();
    } else {
      b.bidirectional();
    }
    RecurrentLayer layer = RnnTesting.build(b);
    layer.initialize(manager, DataType.FLOAT64);
    int slices = 0;
    for (int l = 0; l < layer.layers(); l++) {
      slices += layer.isBidirectional(l) ? 2 : 1;
    }
    int[] lengths = config.lengths();
    NDArray x = normal(new Shape(BATCH, TIME, INPUT));
    NDArray h0 = normal(new Shape(slices, BATCH, HIDDEN));
    NDArray c0 = layer.mode().hasCell() ? normal(h0.getShape()) : null;
    NDArray r = normal(new Shape(BATCH, TIME, layer.outputSize()));
    NDArray s = normal(h0.getShape());
    NDArray u = normal(h0.getShape());
    Supplier<NDArray> loss =
        () -> {
          RnnOutput out = layer.forward(x, lengths, new RnnState(h0, c0), true);
          NDArray value = out.output().mul(r).sum().add(out.state().h().mul(s).sum());
          return c0 == null ? value : value.add(out.state().c().mul(u).sum());
        };

    List<NDArray> inputs = new ArrayList<>(List.of(x, h0));
    if (c0 != null) {
      inputs.add(c0);
    }
    for (NDArray a : inputs) {
      a.setRequiresGradient(true);
    }
    try (GradientCollector collector = engine.newGradientCollector()) {
      collector.backward(loss.get());
    }

    String what = "gradcheck " + mode + " " + config.name() + ":";
    double worst = 0;
    for (Map.Entry<String, NDArray> p : layer.stateDict().entrySet()) {
      worst = Math.max(worst, check(what + " " + p.getKey(), p.getValue(), loss, null));
    }
    worst = Math.max(worst, check(what + " x", x, loss, lengths));
    worst = Math.max(worst, check(what + " h0", h0, loss, null));
    if (c0 != null) {
      worst = Math.max(worst, check(what + " c0", c0, loss, null));
    }
    System.out.printf("%-80s worst relative error %.3e%n", what, worst);
  }

  /**
   * Compares autograd with central differences on a few random entries of {@code array}; for the
   * input {@code x}, {@code lengths} restricts them to real (not padding) steps, half of the time.
   */
  private double check(String what, NDArray array, Supplier<NDArray> loss, int[] lengths) {
    double[] analytic = array.getGradient().toDoubleArray();
    double[] values = array.toDoubleArray();
    long[] shape = array.getShape().getShape();
    double worst = 0;
    for (int k = 0; k < ENTRIES_PER_TENSOR; k++) {
      int i = random.nextInt(values.length);
      if (lengths != null && k % 2 == 0) {
        int b = (int) (i / (shape[1] * shape[2]));
        int t = (int) (i / shape[2] % shape[1]);
        if (t >= lengths[b]) {
          i -= (int) ((t - random.nextInt(lengths[b])) * shape[2]);
        }
      }
      worst =
          Math.max(
              worst, FiniteDifference.assertEntry(what, array, values, analytic, i, EPS, loss));
    }
    return worst;
  }

  private NDArray normal(Shape shape) {
    return manager.randomNormal(0, 1, shape, DataType.FLOAT64);
  }
}
