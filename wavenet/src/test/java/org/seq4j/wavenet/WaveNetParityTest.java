package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.weightedSum;
import static org.seq4j.wavenet.WaveNetTesting.assertClose;
import static org.seq4j.wavenet.WaveNetTesting.ids;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;

/**
 * Parity of {@link WaveNet} with the PyTorch WaveNet of {@code tools/fixtures_wavenet.py} on {@code
 * fixtures/wavenet_model.safetensors}, whose state dicts load by name: the logits, the gradients of
 * {@code L = sum(logits ⊙ R)} with respect to every parameter, the one-hot input and the local
 * features, and the training loss (cross-entropy where the receptive field is full). Float32
 * against PyTorch's float32 within {@link Parity#TOLERANCE}, or, where the two round differently,
 * about as accurate as PyTorch against its float64 result ({@link Parity#assertFloat32Parity});
 * float64 against its float64 results within {@link WaveNetTesting#FLOAT64_TOLERANCE}. Also checks
 * that initialization draws PyTorch's own weights from the same seed.
 */
class WaveNetParityTest {
  private static final String FILE = "wavenet_model.safetensors";

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture(FILE);

  @ForEachFixtureCase
  void float32LogitsGradientsAndLossMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64LogitsGradientsAndLossMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  private void check(String name, DataType type) {
    WaveNetConfig config = WaveNetTesting.config(fx.metadata(), name);
    assertEquals(Long.parseLong(fx.meta(name + ".receptive_field")), config.receptiveField());
    WaveNet net = new WaveNet(config);
    net.initialize(fx.manager(), type);
    net.loadStateDict(fx.withPrefix(name + ".param."));

    NDArray classes = ids(fx.get(name + ".classes"), fx.manager());
    NDArray globalIds =
        config.hasGlobalConditioning() ? ids(fx.get(name + ".ids"), fx.manager()) : null;
    NDArray features =
        config.hasLocalConditioning() ? leaf(fx.get(name + ".features"), fx.manager(), type) : null;
    boolean inputGradient = fx.has(name + ".grad.one_hot");
    NDArray oneHot = net.oneHot(classes);
    if (inputGradient) {
      oneHot.setRequiresGradient(true);
    }
    NDArray logits;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      logits = net.logitsOfOneHot(oneHot, globalIds, features);
      collector.backward(weightedSum(logits, fx.get(name + ".R.logits")));
    }

    boolean f64 = type == DataType.FLOAT64;
    String what = "wavenet " + name + (f64 ? " f64" : "");
    compare(what + " logits", logits, name, "logits", f64);
    double worstGradient = 0;
    for (Map.Entry<String, NDArray> p : net.stateDict().entrySet()) {
      worstGradient =
          Math.max(
              worstGradient,
              compare(
                  what + " grad " + p.getKey(),
                  p.getValue().getGradient(),
                  name,
                  "grad." + p.getKey(),
                  f64));
    }
    if (inputGradient) {
      compare(what + " grad one_hot", oneHot.getGradient(), name, "grad.one_hot", f64);
    }
    if (features != null) {
      compare(what + " grad features", features.getGradient(), name, "grad.features", f64);
    }
    System.out.printf(
        "parity %-52s worst relative error %.3e%n", what + " all parameter grads", worstGradient);

    NDArray loss = net.loss(classes, globalIds, features, false);
    compare(what + " training loss", loss, name, "loss", f64);
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

  @Test
  void initializationDrawsPyTorchsWeightsFromTheSameSeed() {
    WaveNet net = new WaveNet(WaveNetTesting.config(fx.metadata(), "plain_256"));
    fx.engine().setRandomSeed(Integer.parseInt(fx.meta("init_seed")));
    net.initialize(fx.manager());
    Map<String, NDArray> init = fx.withPrefix("init.");
    assertEquals(new TreeSet<>(init.keySet()), new TreeSet<>(net.stateDict().keySet()), "names");
    for (Map.Entry<String, NDArray> p : net.stateDict().entrySet()) {
      assertClose(
          "wavenet init " + p.getKey(), p.getValue(), init.get(p.getKey()), Parity.TOLERANCE);
    }
  }
}
