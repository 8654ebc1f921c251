package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.seq4j.testing.Tensors.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.Tensors;

/**
 * The fused {@link RecurrentLayer} against {@link CellLoop}, the same stack computed cell by cell,
 * for what {@code torch.nn} cannot express (a bidirectional first layer under unidirectional ones,
 * residual connections) and for the meaning of variable lengths: every sequence of a padded batch
 * gets the output and final state it gets alone.
 *
 * <p>The comparisons with the cell loop run in float64, where both sides are exact to about 1e-15,
 * so they are held to {@value #FLOAT64_TOLERANCE}: any difference in the computation shows as an
 * error of order 1e-2 or more.
 */
class RecurrentLayerOracleTest {
  static final double FLOAT64_TOLERANCE = 1e-9;

  private static final int INPUT = 6;
  private static final int HIDDEN = 5;
  private static final int BATCH = 4;
  private static final int TIME = 9;
  private static final int[] LENGTHS = {9, 4, 6, 1};

  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    manager = engine.newBaseManager();
    engine.setRandomSeed(7);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** A stack: its description, layer count, directions, residual setting and lengths. */
  record Config(String name, int layers, boolean firstOnly, int residualFrom, boolean varlen) {
    RecurrentLayer build(String mode) {
      RecurrentLayer.Builder<?> b =
          RnnTesting.builder(mode)
              .inputSize(INPUT)
              .hiddenSize(HIDDEN)
              .layers(layers)
              .residualFrom(residualFrom);
      if (firstOnly) {
        b.bidirectionalFirstLayer();
      } else {
        b.bidirectional();
      }
      return RnnTesting.build(b);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> configurations() {
    List<Config> configs =
        List.of(
            new Config(
                "GNMT encoder (bidirectional first layer, residual from 3), varlen",
                4,
                true,
                3,
                true),
            new Config(
                "GNMT encoder (bidirectional first layer, residual from 3)", 4, true, 3, false),
            new Config("bidirectional, residual from 2, varlen", 3, false, 2, true));
    return Stream.of("lstm", "gru", "rnn_tanh", "rnn_relu")
        .flatMap(mode -> configs.stream().map(c -> Arguments.of(mode, c)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("configurations")
  void fusedLayerMatchesTheCellLoop(String mode, Config config) {
    RecurrentLayer layer = config.build(mode);
    layer.initialize(manager, DataType.FLOAT64);
    CellLoop loop = new CellLoop(layer, config.residualFrom(), manager);
    int slices = stateSlices(layer);
    int[] lengths = config.varlen() ? LENGTHS : null;

    NDArray x = random(new Shape(BATCH, TIME, INPUT));
    if (config.varlen()) {
      zeroPadding(x, lengths);
    }
    NDArray h0 = config.varlen() ? random(new Shape(slices, BATCH, HIDDEN)) : null;
    NDArray c0 = h0 != null && layer.mode().hasCell() ? random(h0.getShape()) : null;
    NDArray r = random(new Shape(BATCH, TIME, layer.outputSize()));
    NDArray s = random(new Shape(slices, BATCH, HIDDEN));
    NDArray u = random(new Shape(slices, BATCH, HIDDEN));

    Result fused = run(x, h0, c0, r, s, u, (in, init) -> layer.forward(in, lengths, init, true));
    Result cells = run(x, h0, c0, r, s, u, (in, init) -> loop.forward(in, lengths, init));

    String what = "oracle " + mode + " " + config.name() + ":";
    assertClose(what + " output", fused.out.output(), cells.out.output(), FLOAT64_TOLERANCE);
    assertClose(what + " h_n", fused.out.state().h(), cells.out.state().h(), FLOAT64_TOLERANCE);
    if (layer.mode().hasCell()) {
      assertClose(what + " c_n", fused.out.state().c(), cells.out.state().c(), FLOAT64_TOLERANCE);
    }
    Map<String, NDArray> cellGradients = loop.gradients();
    for (Map.Entry<String, NDArray> p : layer.stateDict().entrySet()) {
      assertClose(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          cellGradients.get(p.getKey()),
          FLOAT64_TOLERANCE);
    }
    assertClose(what + " grad x", fused.dx, cells.dx, FLOAT64_TOLERANCE);
    if (h0 != null) {
      assertClose(what + " grad h0", fused.dh0, cells.dh0, FLOAT64_TOLERANCE);
    }
    if (c0 != null) {
      assertClose(what + " grad c0", fused.dc0, cells.dc0, FLOAT64_TOLERANCE);
    }
  }

  /**
   * In a batch with lengths [50, 3, 1] (T = 50), each sequence gets the output and final state it
   * gets when run alone with T = its length; the output past its length is zero. Bidirectional, so
   * the reverse direction must start at each sequence's own last step. In float64, where the two
   * runs agree to rounding (in float32 a batch and a lone sequence may round differently, as
   * different matrix shapes take different kernel paths).
   */
  @ParameterizedTest
  @ValueSource(strings = {"lstm", "gru"})
  void eachSequenceOfABatchComputesAsIfAlone(String mode) {
    int[] lengths = {50, 3, 1};
    int time = 50;
    RecurrentLayer layer =
        RnnTesting.build(
            RnnTesting.builder(mode).inputSize(INPUT).hiddenSize(HIDDEN).layers(2).bidirectional());
    layer.initialize(manager, DataType.FLOAT64);
    int slices = stateSlices(layer);
    NDArray x = random(new Shape(lengths.length, time, INPUT));
    NDArray h0 = random(new Shape(slices, lengths.length, HIDDEN));
    NDArray c0 = layer.mode().hasCell() ? random(h0.getShape()) : null;

    RnnOutput batch = layer.forward(x, lengths, new RnnState(h0, c0), false);
    for (int b = 0; b < lengths.length; b++) {
      int n = lengths[b];
      NDIndex row = new NDIndex("{}:{}, :{}", b, b + 1, n);
      NDIndex state = new NDIndex(":, {}:{}", b, b + 1);
      RnnOutput alone =
          layer.forward(
              x.get(row),
              null,
              new RnnState(h0.get(state), c0 == null ? null : c0.get(state)),
              false);
      String what = "lengths " + mode + " sequence " + b + " (length " + n + ")";
      assertClose(what + " output", batch.output().get(row), alone.output(), FLOAT64_TOLERANCE);
      if (n < time) {
        NDArray past = batch.output().get(new NDIndex("{}, {}:", b, n));
        assertClose(what + " output past its length", past, past.zerosLike(), 0);
      }
      assertClose(
          what + " h_n", batch.state().h().get(state), alone.state().h(), FLOAT64_TOLERANCE);
      if (c0 != null) {
        assertClose(
            what + " c_n", batch.state().c().get(state), alone.state().c(), FLOAT64_TOLERANCE);
      }
    }
  }

  /**
   * {@link RecurrentLayer#outputs} runs every layer over the padding, yet gives the outputs of
   * {@code forward} with the lengths, and the same gradients for the input and every weight: the
   * padding's values (random here, not zero) change nothing, and get zero gradient. With dropout
   * off, in float64.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("configurations")
  void outputsAloneEqualTheExactForwardPass(String mode, Config config) {
    RecurrentLayer layer = config.build(mode);
    layer.initialize(manager, DataType.FLOAT64);
    int[] lengths = config.varlen() ? new int[] {4, 9, 1, 6} : null;
    NDArray x = random(new Shape(BATCH, TIME, INPUT));
    NDArray r = random(new Shape(BATCH, TIME, layer.outputSize()));

    NDArray exactGradX;
    NDArray exact;
    Map<String, NDArray> exactGrads = new HashMap<>();
    NDArray xs = Tensors.leaf(x, manager, DataType.FLOAT64);
    try (GradientCollector collector = engine.newGradientCollector()) {
      exact = layer.forward(xs, lengths, null, true).output();
      collector.backward(exact.mul(r).sum());
    }
    exactGradX = xs.getGradient().duplicate();
    for (Map.Entry<String, NDArray> p : layer.stateDict().entrySet()) {
      exactGrads.put(p.getKey(), p.getValue().getGradient().duplicate());
    }

    NDArray xo = Tensors.leaf(x, manager, DataType.FLOAT64);
    NDArray outputs;
    try (GradientCollector collector = engine.newGradientCollector()) {
      collector.zeroGradients();
      outputs = layer.outputs(xo, lengths, true);
      collector.backward(outputs.mul(r).sum());
    }

    String what = "outputs " + mode + " " + config.name() + ":";
    assertClose(what + " output", outputs, exact, FLOAT64_TOLERANCE);
    assertClose(what + " grad x", xo.getGradient(), exactGradX, FLOAT64_TOLERANCE);
    for (Map.Entry<String, NDArray> p : layer.stateDict().entrySet()) {
      assertClose(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          exactGrads.get(p.getKey()),
          FLOAT64_TOLERANCE);
    }
    if (lengths != null) {
      for (int b = 0; b < lengths.length; b++) {
        if (lengths[b] < TIME) {
          NDIndex padding = new NDIndex("{}, {}:", b, lengths[b]);
          NDArray past = outputs.get(padding);
          assertClose(what + " output past length, row " + b, past, past.zerosLike(), 0);
          NDArray grad = xo.getGradient().get(padding);
          assertClose(what + " grad of padding, row " + b, grad, grad.zerosLike(), 0);
        }
      }
    }
  }

  @Test
  void outputsRejectWhatForwardRejects() {
    RecurrentLayer layer =
        RnnTesting.build(RnnTesting.builder("lstm").inputSize(INPUT).hiddenSize(HIDDEN).layers(2));
    layer.initialize(manager, DataType.FLOAT64);
    NDArray x = random(new Shape(2, TIME, INPUT));
    assertThrows(IllegalArgumentException.class, () -> layer.outputs(x, new int[] {3}, false));
    assertThrows(IllegalArgumentException.class, () -> layer.outputs(x, new int[] {3, 0}, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> layer.outputs(random(new Shape(2, TIME, INPUT + 1)), null, false));
  }

  private interface Forward {
    RnnOutput apply(NDArray x, RnnState initial);
  }

  private record Result(RnnOutput out, NDArray dx, NDArray dh0, NDArray dc0) {}

  /** Runs {@code forward} on fresh leaves and backpropagates the fixtures' loss. */
  private Result run(
      NDArray x, NDArray h0, NDArray c0, NDArray r, NDArray s, NDArray u, Forward forward) {
    NDArray xs = Tensors.leaf(x, manager, DataType.FLOAT64);
    NDArray hs = h0 == null ? null : Tensors.leaf(h0, manager, DataType.FLOAT64);
    NDArray cs = c0 == null ? null : Tensors.leaf(c0, manager, DataType.FLOAT64);
    RnnOutput out;
    try (GradientCollector collector = engine.newGradientCollector()) {
      out = forward.apply(xs, hs == null ? null : new RnnState(hs, cs));
      NDArray loss = out.output().mul(r).sum().add(out.state().h().mul(s).sum());
      if (out.state().c() != null) {
        loss = loss.add(out.state().c().mul(u).sum());
      }
      collector.backward(loss);
    }
    return new Result(
        out,
        xs.getGradient(),
        hs == null ? null : hs.getGradient(),
        cs == null ? null : cs.getGradient());
  }

  private NDArray random(Shape shape) {
    return manager.randomNormal(0, 1, shape, DataType.FLOAT64);
  }

  private static void zeroPadding(NDArray x, int[] lengths) {
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] < x.getShape().get(1)) {
        x.set(new NDIndex("{}, {}:", b, lengths[b]), 0);
      }
    }
  }

  private static int stateSlices(RecurrentLayer layer) {
    int s = 0;
    for (int l = 0; l < layer.layers(); l++) {
      s += layer.isBidirectional(l) ? 2 : 1;
    }
    return s;
  }
}
