package org.seq4j.wavenet;

import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.weightedSum;
import static org.seq4j.wavenet.WaveNetTesting.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;

/**
 * Parity of {@link GatedResidualLayer} with the PyTorch layer of {@code tools/fixtures_wavenet.py}
 * on {@code fixtures/wavenet_layer.safetensors}: the residual and skip outputs and the gradients of
 * {@code L = sum(h' ⊙ R_h) + sum(skip ⊙ R_s)} with respect to every parameter, the input and the
 * global and local conditioning. Float32 against PyTorch's float32 within {@link Parity#TOLERANCE},
 * or, where the two round differently, about as accurate as PyTorch against its float64 result
 * ({@link Parity#assertFloat32Parity}); float64 against its float64 results within {@link
 * WaveNetTesting#FLOAT64_TOLERANCE}.
 */
class GatedResidualLayerParityTest {
  private static final String FILE = "wavenet_layer.safetensors";

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture(FILE);

  @ForEachFixtureCase
  void float32OutputsAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64OutputsAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  private void check(String name, DataType type) {
    int globalWidth = number(name + ".global");
    int localChannels = number(name + ".local");
    GatedResidualLayer layer =
        new GatedResidualLayer(
            number("residual"),
            number("dilation_channels"),
            number("skip"),
            number(name + ".kernel"),
            number(name + ".dilation"),
            globalWidth,
            localChannels);
    layer.initialize(fx.manager(), type);
    layer.loadStateDict(fx.withPrefix(name + ".param."));
    NDArray h = leaf(fx.get(name + ".h"), fx.manager(), type);
    NDArray global = globalWidth > 0 ? leaf(fx.get(name + ".global"), fx.manager(), type) : null;
    NDArray local = localChannels > 0 ? leaf(fx.get(name + ".local"), fx.manager(), type) : null;
    GatedResidualLayer.Output out;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      out = layer.forward(h, global, local);
      collector.backward(
          weightedSum(out.residual(), fx.get(name + ".R.residual"))
              .add(weightedSum(out.skip(), fx.get(name + ".R.skip"))));
    }
    boolean f64 = type == DataType.FLOAT64;
    String what = "layer " + name + (f64 ? " f64" : "");
    compare(what + " residual", out.residual(), name, "residual", f64);
    compare(what + " skip", out.skip(), name, "skip", f64);
    for (Map.Entry<String, NDArray> p : layer.stateDict().entrySet()) {
      compare(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          name,
          "grad." + p.getKey(),
          f64);
    }
    compare(what + " grad h", h.getGradient(), name, "grad.h", f64);
    if (global != null) {
      compare(what + " grad global", global.getGradient(), name, "grad.global", f64);
    }
    if (local != null) {
      compare(what + " grad local", local.getGradient(), name, "grad.local", f64);
    }
  }

  /**
   * Compares with PyTorch's result {@code key}: in float64 with its float64 result; in float32 with
   * its float32 result ({@link Parity#assertFloat32Parity}).
   */
  private static double compare(String what, NDArray actual, String name, String key, boolean f64) {
    return fx.compare(
        what,
        actual,
        name,
        key,
        f64,
        (w, a, e) -> assertClose(w, a, e, WaveNetTesting.FLOAT64_TOLERANCE));
  }

  private static int number(String key) {
    return fx.number(key);
  }
}
