package org.seq4j.nn;

import static org.seq4j.testing.Parity.assertParity;
import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.weightedSum;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;
import org.seq4j.testing.Tensors;

/**
 * Parity of {@link LstmCell}, {@link GruCell} and {@link RnnCell} with {@code torch.nn.LSTMCell},
 * {@code GRUCell} and {@code RNNCell} on {@code fixtures/rnn_cells.safetensors} (written by {@code
 * tools/fixtures_rnn.py}): the new state and the gradients of {@code L = sum(h' ⊙ S) + sum(c' ⊙ U)}
 * with respect to every weight, the input and the initial state, within 1e-5 relative error ({@link
 * Parity#TOLERANCE}): in float32 against PyTorch's float32 results (the cells round as ATen's do,
 * so most are bit-identical) and in float64 against its float64 results. Also checks that
 * initialization draws PyTorch's own weights from the same seed.
 */
class CellParityTest {
  private static final String FILE = "rnn_cells.safetensors";

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture(FILE);

  @ForEachFixtureCase
  void float32StepAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64StepAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  /**
   * Runs fixture case {@code name} in {@code type} and compares with PyTorch's results in the same
   * type ({@code <case>.<result>} for float32, {@code <case>.f64.<result>} for float64).
   */
  private void check(String name, DataType type) {
    String mode = fx.meta(name + ".mode");
    boolean bias = Boolean.parseBoolean(fx.meta(name + ".bias"));
    boolean withState = Boolean.parseBoolean(fx.meta(name + ".initial_state"));
    AbstractCell cell = newCell(mode, bias);
    cell.initialize(fx.manager(), type);
    cell.loadStateDict(fx.withPrefix(name + ".param."));

    NDArray x = leaf(fx.get(name + ".x"), fx.manager(), type);
    NDArray h0 = withState ? leaf(fx.get(name + ".h0"), fx.manager(), type) : null;
    NDArray c0 =
        withState && fx.has(name + ".c0") ? leaf(fx.get(name + ".c0"), fx.manager(), type) : null;
    RnnState next;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      next = cell.forward(x, withState ? new RnnState(h0, c0) : null);
      NDArray loss = weightedSum(next.h(), fx.get(name + ".S"));
      if (next.c() != null) {
        loss = loss.add(weightedSum(next.c(), fx.get(name + ".U")));
      }
      collector.backward(loss);
    }

    boolean f64 = type == DataType.FLOAT64;
    String ref = name + (f64 ? ".f64." : ".");
    String what = "cells " + name + (f64 ? " f64" : "");
    compare(what + " h'", next.h(), fx.get(ref + "h_n"));
    if (next.c() != null) {
      compare(what + " c'", next.c(), fx.get(ref + "c_n"));
    }
    for (Map.Entry<String, NDArray> p : cell.stateDict().entrySet()) {
      compare(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          fx.get(ref + "grad." + p.getKey()));
    }
    compare(what + " grad x", x.getGradient(), fx.get(ref + "grad.x"));
    if (h0 != null) {
      compare(what + " grad h0", h0.getGradient(), fx.get(ref + "grad.h0"));
    }
    if (c0 != null) {
      compare(what + " grad c0", c0.getGradient(), fx.get(ref + "grad.c0"));
    }
  }

  private static void compare(String what, NDArray actual, NDArray expected) {
    Tensors.assertClose(what, actual, expected, Parity.TOLERANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm", "gru", "rnn_tanh", "rnn_relu"})
  void initializationDrawsPyTorchsWeightsFromTheSameSeed(String mode) {
    AbstractCell cell = newCell(mode, true);
    fx.engine().setRandomSeed(Integer.parseInt(fx.meta("init_seed")));
    cell.initialize(fx.manager());
    for (Map.Entry<String, NDArray> p : cell.stateDict().entrySet()) {
      assertParity(
          "cells init " + mode + " " + p.getKey(),
          p.getValue(),
          fx.get("init." + mode + "." + p.getKey()));
    }
  }

  static AbstractCell newCell(String mode, boolean bias) {
    int in = 5;
    int hidden = 4;
    return switch (mode) {
      case "lstm" -> new LstmCell(in, hidden, bias);
      case "gru" -> new GruCell(in, hidden, bias);
      case "rnn_tanh" -> new RnnCell(in, hidden, bias, false);
      case "rnn_relu" -> new RnnCell(in, hidden, bias, true);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
  }
}
