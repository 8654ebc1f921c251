package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

/** Causality, the unpadded variant, the parameter layout and the argument checks. */
class CausalConv1dTest {
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

  @Test
  void outputAtTDoesNotDependOnLaterInputs() {
    CausalConv1d conv = new CausalConv1d(2, 3, 3, 2);
    conv.initialize(manager, DataType.FLOAT64);
    NDArray x = manager.randomNormal(0, 1, new Shape(2, 2, 12), DataType.FLOAT64);
    double[] before = conv.forward(x).toDoubleArray();
    int t = 6;
    NDArray changed = x.duplicate();
    changed.set(new NDIndex(":, :, {}:", t + 1), 5.0);
    double[] after = conv.forward(changed).toDoubleArray();
    for (int b = 0; b < 2; b++) {
      for (int o = 0; o < 3; o++) {
        for (int s = 0; s < 12; s++) {
          int i = (b * 3 + o) * 12 + s;
          if (s <= t) {
            assertEquals(before[i], after[i], 0, "output at " + s + " changed");
          }
        }
      }
    }
    // And it does depend on the input (k−1)·d steps back, not further.
    NDArray early = x.duplicate();
    early.set(new NDIndex(":, :, {}", t - 4), 5.0);
    double[] seen = conv.forward(early).toDoubleArray();
    assertTrue(seen[t] != before[t], "the oldest tap is read");
    NDArray tooEarly = x.duplicate();
    tooEarly.set(new NDIndex(":, :, {}", t - 5), 5.0);
    assertEquals(before[t], conv.forward(tooEarly).toDoubleArray()[t], 0);
  }

  @Test
  void validConvolutionIsThePaddedOneWithoutItsFirstSteps() {
    CausalConv1d conv = new CausalConv1d(3, 2, 4, 3);
    conv.initialize(manager, DataType.FLOAT64);
    NDArray x = manager.randomNormal(0, 1, new Shape(2, 3, 15), DataType.FLOAT64);
    NDArray padded = conv.forward(x);
    NDArray valid = conv.forwardValid(x);
    assertEquals(new Shape(2, 2, 15 - 9), valid.getShape());
    assertArrayEquals(
        padded.get(new NDIndex(":, :, 9:")).toDoubleArray(), valid.toDoubleArray(), 1e-12);
  }

  /**
   * The float32 input gradient at a realistic width (32 channels, kernel 2 and 3, dilation 4),
   * against explicit sums in double: the case libtorch 2.7.1's direct float32 convolution gets
   * wrong on AVX-512 (see {@link CausalConv1d#valid}).
   */
  @Test
  void float32InputGradientEqualsExplicitSums() {
    for (int k : new int[] {2, 3}) {
      int in = 32;
      int out = 24;
      int time = 40;
      int d = 4;
      CausalConv1d conv = new CausalConv1d(in, out, k, d);
      conv.initialize(manager);
      NDArray x = manager.randomNormal(new Shape(2, in, time));
      NDArray r = manager.randomNormal(new Shape(2, out, time));
      x.setRequiresGradient(true);
      try (GradientCollector collector = engine.newGradientCollector()) {
        collector.backward(conv.forward(x).mul(r).sum());
      }
      double[] w = conv.weight().toType(DataType.FLOAT64, false).toDoubleArray();
      double[] rs = r.toType(DataType.FLOAT64, false).toDoubleArray();
      double[] expected = new double[2 * in * time];
      // y[b, o, t] = Σ_i Σ_j w[o, i, j] x[b, i, t − (k−1−j)·d], so ∂L/∂x[b, i, s] collects r[b, o,
      // t]
      // w[o, i, j] over t = s + (k−1−j)·d < T.
      for (int b = 0; b < 2; b++) {
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < in; i++) {
            for (int j = 0; j < k; j++) {
              for (int s = 0; s + (k - 1 - j) * d < time; s++) {
                int t = s + (k - 1 - j) * d;
                expected[(b * in + i) * time + s] +=
                    w[(o * in + i) * k + j] * rs[(b * out + o) * time + t];
              }
            }
          }
        }
      }
      double[] actual = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(
            expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "k " + k + " at " + i);
      }
    }
  }

  @Test
  void kernelOneIsAPointwiseConvolution() {
    CausalConv1d conv = new CausalConv1d(3, 2, 1, 1);
    conv.initialize(manager);
    NDArray x = manager.randomNormal(new Shape(1, 3, 5));
    NDArray w = conv.stateDict().get("weight").reshape(2, 3);
    NDArray expected =
        w.matMul(x.reshape(3, 5)).add(conv.stateDict().get("bias").reshape(2, 1)).reshape(1, 2, 5);
    assertArrayEquals(expected.toFloatArray(), conv.forward(x).toFloatArray(), 1e-6f);
  }

  @Test
  void parametersHavePyTorchsNamesAndLayout() {
    CausalConv1d conv = new CausalConv1d(3, 5, 2, 4);
    conv.initialize(manager);
    Map<String, NDArray> dict = conv.stateDict();
    assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(dict.keySet()));
    assertEquals(new Shape(5, 3, 2), dict.get("weight").getShape());
    assertEquals(new Shape(5), dict.get("bias").getShape());
    CausalConv1d plain = new CausalConv1d(3, 5, 2, 4, false);
    plain.initialize(manager);
    assertEquals(java.util.List.of("weight"), java.util.List.copyOf(plain.stateDict().keySet()));
    assertEquals(4, conv.leftContext());
    // PyTorch's bound: 1/√(in·k).
    float bound = (float) (1 / Math.sqrt(6));
    assertTrue(dict.get("weight").abs().max().getFloat() <= bound);
    assertTrue(dict.get("bias").abs().max().getFloat() <= bound);
  }

  @Test
  void badArgumentsAreNamed() {
    assertMessage(
        "kernelSize",
        assertThrows(IllegalArgumentException.class, () -> new CausalConv1d(1, 1, 0, 1)));
    assertMessage(
        "dilation",
        assertThrows(IllegalArgumentException.class, () -> new CausalConv1d(1, 1, 2, 0)));
    CausalConv1d conv = new CausalConv1d(3, 2, 2, 2);
    assertThrows(
        IllegalStateException.class, () -> conv.forward(manager.zeros(new Shape(1, 3, 4))));
    conv.initialize(manager);
    assertMessage(
        "x",
        assertThrows(
            IllegalArgumentException.class, () -> conv.forward(manager.zeros(new Shape(1, 4, 4)))));
    assertMessage(
        "x",
        assertThrows(
            IllegalArgumentException.class, () -> conv.forward(manager.zeros(new Shape(3, 4)))));
    assertMessage(
        "x",
        assertThrows(
            IllegalArgumentException.class,
            () -> conv.forward(manager.zeros(new Shape(1, 3, 4), DataType.FLOAT64))));
    assertMessage(
        "x",
        assertThrows(
            IllegalArgumentException.class,
            () -> conv.forwardValid(manager.zeros(new Shape(1, 3, 2)))));
  }

  private static void assertMessage(String name, IllegalArgumentException e) {
    assertTrue(e.getMessage().startsWith(name), e.getMessage());
  }
}
