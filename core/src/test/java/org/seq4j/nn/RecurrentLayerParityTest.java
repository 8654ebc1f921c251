package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seq4j.nn.RnnTesting.lengths;
import static org.seq4j.testing.Parity.assertParity;
import static org.seq4j.testing.Tensors.assertClose;
import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.maxRelativeError;
import static org.seq4j.testing.Tensors.weightedSum;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.io.SafeTensors;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;

/**
 * Parity of {@link Lstm}, {@link Gru} and {@link Rnn} with {@code torch.nn.LSTM}, {@code GRU} and
 * {@code RNN} ({@code batch_first=True}, packed sequences for variable lengths) on {@code
 * fixtures/rnn_layers.safetensors} (written by {@code tools/fixtures_rnn.py}): the output, the
 * final state and the gradients of {@code L = sum(output ⊙ R) + sum(h_n ⊙ S) + sum(c_n ⊙ U)} with
 * respect to every parameter, the input and the initial state. Also loads a state dict saved by
 * PyTorch with {@code safetensors.torch.save_file}.
 *
 * <p>Tolerances. In float64 everything is compared with PyTorch's float64 results within 1e-5
 * ({@link Parity#TOLERANCE}); this is the check of the equations, with a wide margin (the errors
 * are the F32 rounding of the stored values, about 1e-7). In float32, outputs and states are
 * compared with PyTorch's float32 results within 1e-5, and so are the gradients of full-length
 * batches (same fused kernels, same order: bit-identical). With variable lengths seq4j splits the
 * batch into time segments where PyTorch packs it; the float32 gradients then round differently,
 * and PyTorch's own float32 gradients are up to about 5e-5 away from the exact (float64) ones on
 * these fixtures. There the check is that seq4j's float32 gradients are as accurate as PyTorch's:
 * their worst error against the float64 result is at most {@value #ACCURACY_FACTOR} times PyTorch's
 * float32 worst error on the same case, or 1e-5.
 *
 * <p>Inference (outside a gradient collector, {@code training} false) is checked on its own, in
 * both types, because libtorch may take a different kernel path there.
 */
class RecurrentLayerParityTest {
  private static final String FILE = "rnn_layers.safetensors";

  /** How much less accurate than PyTorch's float32 gradients seq4j's may be (see above). */
  static final double ACCURACY_FACTOR = 2;

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture(FILE);

  @ForEachFixtureCase
  void float64OutputsStatesAndGradientsMatchTorch(String name) {
    Map<String, NDArray> results = train(name, DataType.FLOAT64, false);
    String what = "layers " + name + " f64";
    results.forEach(
        (key, actual) ->
            assertClose(what + " " + key, actual, fx.get(name + ".f64." + key), Parity.TOLERANCE));
  }

  @ForEachFixtureCase
  void float32OutputsStatesAndGradientsMatchTorch(String name) {
    checkFloat32(name, false);
  }

  @ForEachFixtureCase
  void explicitFullLengthsGiveTheSameResults(String name) {
    checkFloat32(name, true);
  }

  /** Float32 check; with {@code explicitLengths} the lengths are passed even when all are T. */
  private void checkFloat32(String name, boolean explicitLengths) {
    Map<String, NDArray> results = train(name, DataType.FLOAT32, explicitLengths);
    String what = "layers " + name + (explicitLengths ? " (lengths given)" : "");
    boolean varlen = Boolean.parseBoolean(fx.meta(name + ".varlen"));
    double torchError = 0;
    for (String key : results.keySet()) {
      if (key.startsWith("grad.")) {
        torchError =
            Math.max(
                torchError,
                maxRelativeError(fx.get(name + "." + key), fx.get(name + ".f64." + key)));
      }
    }
    double bound = Math.max(Parity.TOLERANCE, ACCURACY_FACTOR * torchError);
    for (Map.Entry<String, NDArray> e : results.entrySet()) {
      String key = e.getKey();
      if (!varlen || !key.startsWith("grad.")) {
        assertParity(what + " " + key, e.getValue(), fx.get(name + "." + key));
      } else {
        double ours = maxRelativeError(e.getValue(), fx.get(name + ".f64." + key));
        System.out.printf(
            "parity %-44s vs float64: %.3e (PyTorch float32 on this case: %.3e)%n",
            what + " " + key, ours, torchError);
        assertTrue(
            ours <= bound,
            what + " " + key + ": error " + ours + " vs float64, PyTorch float32's " + torchError);
      }
    }
  }

  /** One training-mode run of fixture case {@code name}: results and gradients by fixture key. */
  private Map<String, NDArray> train(String name, DataType type, boolean explicitLengths) {
    RecurrentLayer layer = newLayer(name);
    layer.initialize(fx.manager(), type);
    layer.loadStateDict(fx.withPrefix(name + ".param."));
    boolean varlen = Boolean.parseBoolean(fx.meta(name + ".varlen"));
    int[] lengths = varlen || explicitLengths ? lengths(fx.get(name + ".lengths")) : null;
    NDArray x = leaf(fx.get(name + ".x"), fx.manager(), type);
    NDArray h0 = fx.has(name + ".h0") ? leaf(fx.get(name + ".h0"), fx.manager(), type) : null;
    NDArray c0 = fx.has(name + ".c0") ? leaf(fx.get(name + ".c0"), fx.manager(), type) : null;
    RnnOutput out;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      out = layer.forward(x, lengths, h0 == null ? null : new RnnState(h0, c0), true);
      NDArray loss =
          weightedSum(out.output(), fx.get(name + ".R"))
              .add(weightedSum(out.state().h(), fx.get(name + ".S")));
      if (out.state().c() != null) {
        loss = loss.add(weightedSum(out.state().c(), fx.get(name + ".U")));
      }
      collector.backward(loss);
    }
    Map<String, NDArray> results = new LinkedHashMap<>();
    results.put("output", out.output());
    results.put("h_n", out.state().h());
    if (out.state().c() != null) {
      results.put("c_n", out.state().c());
    }
    layer.stateDict().forEach((key, p) -> results.put("grad." + key, p.getGradient()));
    results.put("grad.x", x.getGradient());
    if (h0 != null) {
      results.put("grad.h0", h0.getGradient());
    }
    if (c0 != null) {
      results.put("grad.c0", c0.getGradient());
    }
    return results;
  }

  /** Inference (outside a gradient collector, {@code training} false) in float32. */
  @ForEachFixtureCase
  void float32InferenceMatchesTorch(String name) {
    infer(name, DataType.FLOAT32);
  }

  /** Inference (outside a gradient collector, {@code training} false) in float64. */
  @ForEachFixtureCase
  void float64InferenceMatchesTorch(String name) {
    infer(name, DataType.FLOAT64);
  }

  private void infer(String name, DataType type) {
    RecurrentLayer layer = newLayer(name);
    layer.initialize(fx.manager(), type);
    layer.loadStateDict(fx.withPrefix(name + ".param."));
    boolean varlen = Boolean.parseBoolean(fx.meta(name + ".varlen"));
    RnnState initial =
        fx.has(name + ".h0")
            ? new RnnState(
                fx.get(name + ".h0").toType(type, false),
                fx.has(name + ".c0") ? fx.get(name + ".c0").toType(type, false) : null)
            : null;
    RnnOutput out =
        layer.forward(
            fx.get(name + ".x").toType(type, false),
            varlen ? lengths(fx.get(name + ".lengths")) : null,
            initial,
            false);
    boolean f64 = type == DataType.FLOAT64;
    String ref = name + (f64 ? ".f64." : ".");
    String what = "layers " + name + " inference" + (f64 ? " f64" : "");
    assertClose(what + " output", out.output(), fx.get(ref + "output"), Parity.TOLERANCE);
    assertClose(what + " h_n", out.state().h(), fx.get(ref + "h_n"), Parity.TOLERANCE);
    if (out.state().c() != null) {
      assertClose(what + " c_n", out.state().c(), fx.get(ref + "c_n"), Parity.TOLERANCE);
    }
  }

  @Test
  void loadsAStateDictSavedByPyTorch() throws Exception {
    Map<String, NDArray> saved =
        SafeTensors.load(Parity.fixture("lstm_state_dict.safetensors"), fx.manager());
    Lstm lstm = Lstm.builder().inputSize(5).hiddenSize(4).layers(2).bidirectional().build();
    lstm.initialize(fx.manager());
    lstm.loadStateDict(saved);
    RnnOutput out =
        lstm.forward(fx.get("saved_lstm.x"), lengths(fx.get("saved_lstm.lengths")), null, false);
    assertParity("layers saved_lstm output", out.output(), fx.get("saved_lstm.output"));
    assertParity("layers saved_lstm h_n", out.state().h(), fx.get("saved_lstm.h_n"));
    assertParity("layers saved_lstm c_n", out.state().c(), fx.get("saved_lstm.c_n"));
  }

  @Test
  void initializationDrawsPyTorchsWeightsFromTheSameSeed() throws Exception {
    // lstm_state_dict.safetensors holds nn.LSTM's own initial weights after manual_seed(42).
    Map<String, NDArray> saved =
        SafeTensors.load(Parity.fixture("lstm_state_dict.safetensors"), fx.manager());
    Lstm lstm = Lstm.builder().inputSize(5).hiddenSize(4).layers(2).bidirectional().build();
    fx.engine().setRandomSeed(42);
    lstm.initialize(fx.manager());
    for (Map.Entry<String, NDArray> p : lstm.stateDict().entrySet()) {
      assertParity("layers init " + p.getKey(), p.getValue(), saved.get(p.getKey()));
    }
  }

  private static RecurrentLayer newLayer(String name) {
    RecurrentLayer.Builder<?> b = RnnTesting.builder(fx.meta(name + ".mode"));
    b.inputSize(Integer.parseInt(fx.meta(name + ".input_size")))
        .hiddenSize(Integer.parseInt(fx.meta(name + ".hidden_size")))
        .layers(Integer.parseInt(fx.meta("layers")))
        .bias(Boolean.parseBoolean(fx.meta(name + ".bias")));
    if (Boolean.parseBoolean(fx.meta(name + ".bidirectional"))) {
      b.bidirectional();
    }
    return RnnTesting.build(b);
  }
}
