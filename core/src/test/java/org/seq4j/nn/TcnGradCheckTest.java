package org.seq4j.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.FiniteDifference;
import org.seq4j.testing.Parity;

/**
 * Finite-difference check of {@link Tcn} in float64: every entry of every parameter ({@code
 * weight_g}, {@code weight_v}, biases, the downsample convolution) and of the input, the central
 * difference of {@code L = sum(y ⊙ R)} with {@code ε = 1e-6} against autograd, within {@link
 * Parity#TOLERANCE}, on a network of kernel 3 with a downsample block and an identity block whose
 * receptive field (13) is longer than part of the input.
 */
class TcnGradCheckTest {
  private static final double EPS = 1e-6;

  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(31);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void autogradMatchesCentralDifferences() {
    Tcn tcn = Tcn.builder().inputSize(2).channels(3, 3).kernelSize(3).build();
    tcn.initialize(manager, DataType.FLOAT64);
    for (Map.Entry<String, NDArray> p : tcn.stateDict().entrySet()) { // lively values, g ≠ ||v||
      float low = p.getKey().endsWith("weight_g") ? 0.5f : -1f;
      NDArray values = manager.randomUniform(low, 1, p.getValue().getShape(), DataType.FLOAT64);
      p.getValue().set(values.toByteBuffer());
    }
    NDArray x = manager.randomNormal(0, 1, new Shape(2, 2, 10), DataType.FLOAT64);
    NDArray r = manager.randomNormal(0, 1, new Shape(2, 3, 10), DataType.FLOAT64);
    x.setRequiresGradient(true);
    // Training mode with dropout 0.2 would draw masks; the check runs the deterministic network.
    Supplier<NDArray> loss = () -> tcn.forward(x, false).mul(r).sum();
    try (GradientCollector collector = engine.newGradientCollector()) {
      collector.backward(loss.get());
    }
    double worst = 0;
    int entries = 0;
    for (Map.Entry<String, NDArray> p : tcn.stateDict().entrySet()) {
      worst = Math.max(worst, check("gradcheck tcn " + p.getKey(), p.getValue(), loss));
      entries += p.getValue().size();
    }
    worst = Math.max(worst, check("gradcheck tcn x", x, loss));
    entries += x.size();
    System.out.printf(
        "%-60s worst relative error %.3e over %d entries%n", "gradcheck tcn:", worst, entries);
  }

  private static double check(String what, NDArray array, Supplier<NDArray> loss) {
    double[] analytic = array.getGradient().toDoubleArray();
    double[] values = array.toDoubleArray();
    double worst = 0;
    for (int i = 0; i < values.length; i++) {
      worst =
          Math.max(
              worst, FiniteDifference.assertEntry(what, array, values, analytic, i, EPS, loss));
    }
    return worst;
  }
}
