package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.Tensors;

/**
 * {@link Lstm} runs a single time step through the cell's equations instead of the fused kernel
 * (step-by-step decoding); output, final state and weight gradients must be the cell loop's, from a
 * given state, for single, stacked, residual and bidirectional layers.
 */
class LstmOneStepTest {

  @Test
  void oneStepMatchesTheCellLoopWithGradients() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(5);
    try (NDManager m = engine.newBaseManager()) {
      check(m, Lstm.builder().inputSize(6).hiddenSize(5).layers(1).build(), 0);
      check(m, Lstm.builder().inputSize(6).hiddenSize(5).layers(4).residualFrom(3).build(), 3);
      check(m, Lstm.builder().inputSize(6).hiddenSize(5).layers(2).bidirectional().build(), 0);
      check(m, Lstm.builder().inputSize(6).hiddenSize(5).layers(2).bias(false).build(), 0);
    }
  }

  private static void check(NDManager m, Lstm lstm, int residualFrom) {
    lstm.initialize(m, DataType.FLOAT64);
    int slices =
        (int) lstm.stateDict().keySet().stream().filter(k -> k.startsWith("weight_ih")).count();
    NDArray x = m.randomNormal(new Shape(3, 1, 6)).toType(DataType.FLOAT64, false);
    Shape state = new Shape(slices, 3, 5);
    RnnState initial =
        new RnnState(
            m.randomNormal(state).toType(DataType.FLOAT64, false),
            m.randomNormal(state).toType(DataType.FLOAT64, false));
    NDArray r = m.randomNormal(new Shape(3, 1, lstm.outputSize())).toType(DataType.FLOAT64, false);
    CellLoop oracle = new CellLoop(lstm, residualFrom, m);
    RnnOutput expected;
    RnnOutput actual;
    try (GradientCollector collector = m.getEngine().newGradientCollector()) {
      expected = oracle.forward(x, null, initial);
      actual = lstm.forward(x, null, initial, true);
      collector.backward(expected.output().mul(r).sum().add(actual.output().mul(r).sum()));
    }
    double err = RnnTesting.maxRelativeError(actual, expected);
    assertTrue(err < 1e-12, lstm + ": output and state " + err);
    Map<String, NDArray> cellGradients = oracle.gradients();
    for (Map.Entry<String, NDArray> p : lstm.stateDict().entrySet()) {
      Tensors.assertClose(
          lstm + " gradient of " + p.getKey(),
          p.getValue().getGradient(),
          cellGradients.get(p.getKey()),
          1e-12);
    }
    RnnOutput inference = lstm.forward(x, null, initial, false);
    double inferenceErr = RnnTesting.maxRelativeError(inference, expected);
    assertTrue(inferenceErr < 1e-12, lstm + " inference: " + inferenceErr);
  }
}
