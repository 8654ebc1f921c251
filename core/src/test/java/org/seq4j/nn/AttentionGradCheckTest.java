package org.seq4j.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.FiniteDifference;
import org.seq4j.testing.Parity;

/**
 * Finite-difference check of {@link Attention} in float64, on a padded batch with an empty row: for
 * a few entries of every parameter, of the query and of the keys, the central difference of {@code
 * L = sum(context ⊙ R_c) + sum(weights ⊙ R_w)} with {@code ε = 1e-5} against autograd, within
 * {@link Parity#TOLERANCE}.
 */
class AttentionGradCheckTest {
  private static final double EPS = 1e-5;
  private static final int ENTRIES_PER_TENSOR = 4;

  private Engine engine;
  private NDManager manager;
  private final Random random = new Random(3);

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(21);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @ParameterizedTest
  @EnumSource(Attention.Kind.class)
  void autogradMatchesCentralDifferences(Attention.Kind kind) {
    Attention attention = Attention.of(kind, 4, 3, 5);
    attention.initialize(manager, DataType.FLOAT64);
    for (NDArray p : attention.stateDict().values()) { // lively values, g and b included
      p.set(manager.randomUniform(-1, 1, p.getShape(), DataType.FLOAT64).toByteBuffer());
    }
    int[] lengths = {4, 0, 2};
    NDArray query = manager.randomNormal(0, 1, new Shape(3, 2, 4), DataType.FLOAT64);
    NDArray keys = manager.randomNormal(0, 1, new Shape(3, 4, 3), DataType.FLOAT64);
    NDArray rc = manager.randomNormal(0, 1, new Shape(3, 2, 3), DataType.FLOAT64);
    NDArray rw = manager.randomNormal(0, 1, new Shape(3, 2, 4), DataType.FLOAT64);
    query.setRequiresGradient(true);
    keys.setRequiresGradient(true);
    Supplier<NDArray> loss =
        () -> {
          Attention.Output out = attention.forward(query, attention.memory(keys, lengths));
          return out.context().mul(rc).sum().add(out.weights().mul(rw).sum());
        };
    try (GradientCollector collector = engine.newGradientCollector()) {
      collector.backward(loss.get());
    }
    String what = "gradcheck attention " + kind + ":";
    double worst = 0;
    for (Map.Entry<String, NDArray> p : attention.stateDict().entrySet()) {
      worst = Math.max(worst, check(what + " " + p.getKey(), p.getValue(), loss));
    }
    worst = Math.max(worst, check(what + " query", query, loss));
    worst = Math.max(worst, check(what + " keys", keys, loss));
    System.out.printf("%-60s worst relative error %.3e%n", what, worst);
  }

  private double check(String what, NDArray array, Supplier<NDArray> loss) {
    double[] analytic = array.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    double[] values = array.toDoubleArray();
    double worst = 0;
    for (int k = 0; k < ENTRIES_PER_TENSOR; k++) {
      int i = random.nextInt(values.length);
      worst =
          Math.max(
              worst, FiniteDifference.assertEntry(what, array, values, analytic, i, EPS, loss));
    }
    return worst;
  }
}
