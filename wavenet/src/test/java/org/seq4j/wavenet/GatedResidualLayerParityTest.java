package org.seq4j.wavenet;

import static org.seq4j.wavenet.WaveNetTesting.assertClose;
import static org.seq4j.wavenet.WaveNetTesting.leaf;
import static org.seq4j.wavenet.WaveNetTesting.weightedSum;
import static org.seq4j.wavenet.WaveNetTesting.withPrefix;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
import org.seq4j.testing.Parity;

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

  private static Engine engine;
  private static NDManager fixtureManager;
  private static Map<String, NDArray> fx;
  private static Map<String, String> meta;

  private NDManager manager;

  @BeforeAll
  static void loadFixtures() throws Exception {
    engine = Seq4jEngine.get();
    fixtureManager = engine.newBaseManager();
    Path path = Parity.fixture(FILE);
    fx = SafeTensors.load(path, fixtureManager);
    meta = SafeTensors.readMetadata(path);
  }

  @AfterAll
  static void closeFixtures() {
    fixtureManager.close();
  }

  @BeforeEach
  void newManager() {
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  static Stream<String> cases() throws Exception {
    return Arrays.stream(SafeTensors.readMetadata(Parity.fixture(FILE)).get("cases").split(","));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void float32OutputsAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ParameterizedTest
  @MethodSource("cases")
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
    layer.initialize(manager, type);
    layer.loadStateDict(withPrefix(fx, name + ".param."));
    NDArray h = leaf(fx.get(name + ".h"), manager, type);
    NDArray global = globalWidth > 0 ? leaf(fx.get(name + ".global"), manager, type) : null;
    NDArray local = localChannels > 0 ? leaf(fx.get(name + ".local"), manager, type) : null;
    GatedResidualLayer.Output out;
    try (GradientCollector collector = engine.newGradientCollector()) {
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
    NDArray torch64 = fx.get(name + ".f64." + key);
    if (f64) {
      return assertClose(what, actual, torch64, WaveNetTesting.FLOAT64_TOLERANCE);
    }
    return Parity.assertFloat32Parity(what, actual, fx.get(name + "." + key), torch64);
  }

  private static int number(String key) {
    return Integer.parseInt(meta.get(key));
  }
}
