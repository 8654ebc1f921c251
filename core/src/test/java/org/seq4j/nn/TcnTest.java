package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;

/**
 * Causality, the receptive field, the parameter names and initialization, weight normalization,
 * dropout, the state-dict round trip and the argument checks of {@link Tcn} and {@link
 * TemporalBlock}.
 */
class TcnTest {
  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(7);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private Tcn tcn(int inputs, int kernel, int... channels) {
    Tcn tcn = Tcn.builder().inputSize(inputs).channels(channels).kernelSize(kernel).build();
    tcn.initialize(manager, DataType.FLOAT64);
    return tcn;
  }

  private NDArray normal(long... shape) {
    return manager.randomNormal(0, 1, new Shape(shape), DataType.FLOAT64);
  }

  @Test
  void outputsBeforeAChangeStayExactlyTheSame() {
    Tcn tcn = tcn(3, 3, 4, 4, 5);
    NDArray x = normal(2, 3, 30);
    double[] before = tcn.forward(x, false).toDoubleArray();
    for (int t : new int[] {0, 11, 29}) {
      NDArray changed = x.duplicate();
      changed.set(new NDIndex(":, :, {}:", t), 3.0);
      double[] after = tcn.forward(changed, false).toDoubleArray();
      boolean anyChanged = false;
      for (int row = 0; row < 2 * 5; row++) {
        for (int s = 0; s < 30; s++) {
          int i = row * 30 + s;
          if (s < t) {
            assertEquals(before[i], after[i], 0, "output at " + s + " changed by inputs from " + t);
          } else if (s == t) {
            anyChanged |= before[i] != after[i];
          }
        }
      }
      assertTrue(anyChanged, "the output at " + t + " reads the input at " + t);
    }
  }

  /**
   * The gradient of the outputs at time {@code t} with respect to the input is zero outside {@code
   * [t − receptiveField() + 1, t]} and nonzero at both ends of it.
   */
  @Test
  void outputSeesExactlyItsReceptiveField() {
    for (int kernel : new int[] {2, 3}) {
      // The oldest input reaches the output only through the oldest tap of all six convolutions,
      // each followed by a ReLU: enough channels and rows keep some such path active.
      Tcn tcn = tcn(2, kernel, 6, 6, 6);
      int field = tcn.receptiveField();
      assertEquals(1 + 2 * (kernel - 1) * 7, field);
      int time = field + 8;
      int t = time - 3;
      NDArray x = normal(16, 2, time);
      x.setRequiresGradient(true);
      try (GradientCollector collector = engine.newGradientCollector()) {
        collector.backward(tcn.forward(x, false).get(new NDIndex(":, :, {}", t)).sum());
      }
      // |∂/∂x| summed over the batch and the channels, per time step.
      double[] sensitivity = x.getGradient().abs().sum(new int[] {0, 1}).toDoubleArray();
      for (int s = 0; s < time; s++) {
        boolean inside = s > t - field && s <= t;
        if (!inside) {
          assertEquals(0, sensitivity[s], 0, "kernel " + kernel + ": input " + s + " is seen");
        }
      }
      assertTrue(sensitivity[t - field + 1] > 0, "kernel " + kernel + ": the oldest input is read");
      assertTrue(sensitivity[t] > 0, "kernel " + kernel + ": the current input is read");
    }
  }

  @Test
  void receptiveFieldFollowsTheDilationsOfTheBlocks() {
    assertEquals(
        181,
        Tcn.builder().inputSize(1).channels(25, 25, 25, 25).kernelSize(7).build().receptiveField());
    Tcn tcn = Tcn.builder().inputSize(1).channels(4, 4, 4, 4, 4).build();
    assertEquals(1 + 2 * 31, tcn.receptiveField());
    int dilation = 1;
    for (TemporalBlock block : tcn.blocks()) {
      assertEquals(dilation, block.dilation());
      assertEquals(2, block.kernelSize());
      assertEquals(2 * dilation, block.leftContext());
      dilation *= 2;
    }
    assertEquals(
        1, Tcn.builder().inputSize(1).channels(4, 4).kernelSize(1).build().receptiveField());
  }

  @Test
  void parametersHaveTheReferenceNamesAndLayouts() {
    Tcn tcn = tcn(3, 2, 4, 4);
    Map<String, NDArray> dict = tcn.stateDict();
    assertEquals(
        List.of(
            "network.0.conv1.bias",
            "network.0.conv1.weight_g",
            "network.0.conv1.weight_v",
            "network.0.conv2.bias",
            "network.0.conv2.weight_g",
            "network.0.conv2.weight_v",
            "network.0.downsample.weight",
            "network.0.downsample.bias",
            "network.1.conv1.bias",
            "network.1.conv1.weight_g",
            "network.1.conv1.weight_v",
            "network.1.conv2.bias",
            "network.1.conv2.weight_g",
            "network.1.conv2.weight_v"),
        List.copyOf(dict.keySet()));
    assertEquals(new Shape(4, 1, 1), dict.get("network.0.conv1.weight_g").getShape());
    assertEquals(new Shape(4, 3, 2), dict.get("network.0.conv1.weight_v").getShape());
    assertEquals(new Shape(4, 4, 2), dict.get("network.0.conv2.weight_v").getShape());
    assertEquals(new Shape(4, 3, 1), dict.get("network.0.downsample.weight").getShape());
    assertEquals(new Shape(4), dict.get("network.1.conv2.bias").getShape());
    assertTrue(tcn.blocks().get(0).hasDownsample());
    assertFalse(tcn.blocks().get(1).hasDownsample());
    assertEquals(4, tcn.outputSize());
    assertEquals(new Shape(2, 4, 9), tcn.getOutputShapes(new Shape[] {new Shape(2, 3, 9)})[0]);
  }

  @Test
  void initializationStartsWithGEqualToTheNormOfV() {
    Tcn tcn = Tcn.builder().inputSize(32).channels(48).kernelSize(3).build();
    tcn.initialize(manager);
    Map<String, NDArray> dict = tcn.stateDict();
    for (String conv : new String[] {"conv1", "conv2"}) {
      NDArray v = dict.get("network.0." + conv + ".weight_v");
      NDArray norm = v.square().sum(new int[] {1, 2}, true).sqrt();
      assertArrayEquals(
          norm.toFloatArray(), dict.get("network.0." + conv + ".weight_g").toFloatArray(), 1e-6f);
      // nn.Conv1d's bound 1/√(in·k).
      int in = conv.equals("conv1") ? 32 : 48;
      float bound = (float) (1 / Math.sqrt(in * 3.0));
      assertTrue(v.abs().max().getFloat() <= bound);
      assertTrue(v.abs().max().getFloat() > 0.9f * bound);
    }
    NDArray down = dict.get("network.0.downsample.weight");
    double std = Math.sqrt(down.square().mean().getFloat());
    assertEquals(TemporalBlock.DOWNSAMPLE_STD, std, 0.001, "downsample weight N(0, 0.01²)");
    assertTrue(dict.get("network.0.downsample.bias").abs().max().getFloat() <= 1 / Math.sqrt(32));
  }

  @Test
  void weightNormalizationMakesTheOutputIndependentOfTheScaleOfV() {
    Tcn tcn = tcn(2, 2, 3, 3);
    NDArray x = normal(2, 2, 12);
    double[] before = tcn.forward(x, false).toDoubleArray();
    NDArray v = tcn.stateDict().get("network.1.conv1.weight_v");
    v.set(v.mul(7.5).toByteBuffer());
    assertArrayEquals(before, tcn.forward(x, false).toDoubleArray(), 1e-12);
    NDArray g = tcn.stateDict().get("network.1.conv1.weight_g");
    g.set(g.mul(2).toByteBuffer());
    assertFalse(
        java.util.Arrays.equals(before, tcn.forward(x, false).toDoubleArray()), "g scales w");
  }

  @Test
  void weightNormIsGTimesVOverItsNorm() {
    NDArray v = normal(3, 2, 4);
    NDArray g = normal(3, 1, 1);
    double[] w = TemporalBlock.weightNorm(g, v, manager).toDoubleArray();
    double[] vs = v.toDoubleArray();
    double[] gs = g.toDoubleArray();
    for (int o = 0; o < 3; o++) {
      double norm = 0;
      for (int j = 0; j < 8; j++) {
        norm += vs[o * 8 + j] * vs[o * 8 + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < 8; j++) {
        assertEquals(gs[o] * vs[o * 8 + j] / norm, w[o * 8 + j], 1e-12);
      }
    }
  }

  @Test
  void dropoutActsOnlyInTraining() {
    Tcn tcn = Tcn.builder().inputSize(3).channels(8, 8).dropout(0.5f).build();
    tcn.initialize(manager, DataType.FLOAT64);
    NDArray x = normal(2, 3, 10);
    double[] eval = tcn.forward(x, false).toDoubleArray();
    assertArrayEquals(eval, tcn.forward(x, false).toDoubleArray(), 0);
    assertFalse(java.util.Arrays.equals(eval, tcn.forward(x, true).toDoubleArray()));
    Tcn plain = Tcn.builder().inputSize(3).channels(8, 8).dropout(0).build();
    plain.initialize(manager, DataType.FLOAT64);
    plain.loadStateDict(tcn.stateDict());
    assertArrayEquals(eval, plain.forward(x, true).toDoubleArray(), 0);
  }

  @Test
  void stateDictRoundTripsThroughSafetensors(@TempDir Path dir) throws IOException {
    Tcn tcn = Tcn.builder().inputSize(3).channels(5, 5, 2).kernelSize(3).build();
    tcn.initialize(manager);
    Path file = dir.resolve("tcn.safetensors");
    SafeTensors.save(file, tcn.stateDict(), Map.of());
    engine.setRandomSeed(99);
    Tcn fresh = Tcn.builder().inputSize(3).channels(5, 5, 2).kernelSize(3).build();
    fresh.initialize(manager);
    NDArray x = manager.randomNormal(new Shape(2, 3, 16));
    assertFalse(
        java.util.Arrays.equals(
            tcn.forward(x, false).toFloatArray(), fresh.forward(x, false).toFloatArray()));
    try (NDManager loaded = engine.newBaseManager()) {
      fresh.loadStateDict(SafeTensors.load(file, loaded));
    }
    assertArrayEquals(
        tcn.forward(x, false).toFloatArray(), fresh.forward(x, false).toFloatArray(), 0f);
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void loadStateDictSkipsTheReferenceAliasesAndNamesWhatIsWrong() {
    Tcn tcn = tcn(3, 2, 4, 4);
    Map<String, NDArray> weights = new LinkedHashMap<>();
    tcn.stateDict().forEach((name, array) -> weights.put(name, array.mul(2)));
    // The reference's nn.Sequential registers conv1 and conv2 a second time as net.0 and net.4.
    for (int i = 0; i < 2; i++) {
      for (String p : new String[] {"bias", "weight_g", "weight_v"}) {
        weights.put("network." + i + ".net.0." + p, weights.get("network." + i + ".conv1." + p));
        weights.put("network." + i + ".net.4." + p, weights.get("network." + i + ".conv2." + p));
      }
    }
    Tcn other = tcn(3, 2, 4, 4);
    other.loadStateDict(weights);
    assertArrayEquals(
        weights.get("network.1.conv2.weight_v").toDoubleArray(),
        other.stateDict().get("network.1.conv2.weight_v").toDoubleArray(),
        0);

    Map<String, NDArray> extra = new LinkedHashMap<>(weights);
    extra.put("network.2.conv1.bias", manager.zeros(new Shape(4)));
    assertMessage("unexpected tensor 'network.2.conv1.bias'", () -> other.loadStateDict(extra));
    Map<String, NDArray> missing = new LinkedHashMap<>(weights);
    missing.remove("network.0.downsample.weight");
    assertMessage(
        "missing tensor 'network.0.downsample.weight'", () -> other.loadStateDict(missing));
    Map<String, NDArray> misshapen = new LinkedHashMap<>(weights);
    misshapen.put("network.0.conv1.weight_g", manager.zeros(new Shape(4)));
    assertMessage(
        "tensor 'network.0.conv1.weight_g' has shape", () -> other.loadStateDict(misshapen));
  }

  @Test
  void badConfigurationsAreNamed() {
    assertMessage("inputSize", () -> Tcn.builder().inputSize(0).channels(4).build());
    assertMessage("channels", () -> Tcn.builder().inputSize(2).build());
    assertMessage("channels", () -> Tcn.builder().inputSize(2).channels().build());
    assertMessage("channels[1]", () -> Tcn.builder().inputSize(2).channels(4, 0, 4).build());
    assertMessage("kernelSize", () -> Tcn.builder().inputSize(2).channels(4).kernelSize(0).build());
    assertMessage("dropout", () -> Tcn.builder().inputSize(2).channels(4).dropout(1).build());
    assertMessage("dropout", () -> Tcn.builder().inputSize(2).channels(4).dropout(-0.1f).build());
    assertMessage(
        "dropout", () -> Tcn.builder().inputSize(2).channels(4).dropout(Float.NaN).build());
    assertMessage(
        "30 blocks", () -> Tcn.builder().inputSize(2).channels(new int[30]).kernelSize(2).build());
    assertMessage("dilation", () -> new TemporalBlock(2, 3, 2, 0, 0));
  }

  @Test
  void badInputsAreNamed() {
    Tcn tcn = Tcn.builder().inputSize(3).channels(4, 4).build();
    assertThrows(
        IllegalStateException.class, () -> tcn.forward(manager.zeros(new Shape(1, 3, 5)), false));
    tcn.initialize(manager);
    assertMessage(
        "x must be [batch, 3, time] (NCW), got (1, 5, 3)",
        () -> tcn.forward(manager.zeros(new Shape(1, 5, 3)), false));
    assertMessage("x must be", () -> tcn.forward(manager.zeros(new Shape(3, 5)), false));
    assertMessage("x must be", () -> tcn.forward(manager.zeros(new Shape(1, 3, 0)), false));
    assertMessage(
        "x has data type float64",
        () -> tcn.forward(manager.zeros(new Shape(1, 3, 5), DataType.FLOAT64), false));
  }

  private static void assertMessage(String start, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
