package org.seq4j.nn;

import static org.seq4j.testing.Tensors.assertClose;
import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.weightedSum;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;

/**
 * Parity of {@link CausalConv1d} with {@code torch.nn.Conv1d} on a left-padded input, on {@code
 * fixtures/causal_conv.safetensors} (written by {@code tools/fixtures_wavenet.py}): the output and
 * the gradients of {@code L = sum(y ⊙ R)} with respect to the weight, the bias and the input, for
 * several kernels and dilations. Float32 against PyTorch's float32 within {@link Parity#TOLERANCE},
 * or, where the two round differently, about as accurate as PyTorch against its float64 result
 * ({@link Parity#assertFloat32Parity}); float64 against its float64 results (stored rounded to F32)
 * within 1e-6. Also checks that initialization draws PyTorch's own weights from the same seed.
 */
class CausalConv1dParityTest {
  private static final String FILE = "causal_conv.safetensors";
  private static final double FLOAT64_TOLERANCE = 1e-6;

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture(FILE);

  @ForEachFixtureCase
  void float32OutputAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64OutputAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  private void check(String name, DataType type) {
    CausalConv1d conv =
        new CausalConv1d(
            number(name, "in"),
            number(name, "out"),
            number(name, "kernel"),
            number(name, "dilation"),
            Boolean.parseBoolean(fx.meta(name + ".bias")));
    conv.initialize(fx.manager(), type);
    conv.loadStateDict(fx.withPrefix(name + ".param."));
    NDArray x = leaf(fx.get(name + ".x"), fx.manager(), type);
    NDArray y;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      y = conv.forward(x);
      collector.backward(weightedSum(y, fx.get(name + ".R.output")));
    }
    boolean f64 = type == DataType.FLOAT64;
    String what = "causal conv " + name + (f64 ? " f64" : "");
    compare(what + " output", y, name, "output", f64);
    for (Map.Entry<String, NDArray> p : conv.stateDict().entrySet()) {
      compare(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          name,
          "grad." + p.getKey(),
          f64);
    }
    compare(what + " grad x", x.getGradient(), name, "grad.x", f64);
  }

  /**
   * Compares with PyTorch's result {@code key}: in float64 with its float64 result; in float32 with
   * its float32 result ({@link Parity#assertFloat32Parity}).
   */
  private static double compare(String what, NDArray actual, String name, String key, boolean f64) {
    return fx.compare(
        what, actual, name, key, f64, (w, a, e) -> assertClose(w, a, e, FLOAT64_TOLERANCE));
  }

  @Test
  void initializationDrawsPyTorchsWeightsFromTheSameSeed() {
    CausalConv1d conv = new CausalConv1d(3, 4, 3, 1);
    fx.engine().setRandomSeed(Integer.parseInt(fx.meta("init_seed")));
    conv.initialize(fx.manager());
    for (Map.Entry<String, NDArray> p : conv.stateDict().entrySet()) {
      assertClose(
          "causal conv init " + p.getKey(),
          p.getValue(),
          fx.get("init." + p.getKey()),
          Parity.TOLERANCE);
    }
  }

  private static int number(String name, String key) {
    return Integer.parseInt(fx.meta(name + "." + key));
  }
}
