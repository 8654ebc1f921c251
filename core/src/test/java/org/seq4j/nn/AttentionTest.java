package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.testing.Tensors;

/** {@link Attention}'s single-step form, empty sources, row selection, views and bad input. */
class AttentionTest {
  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(8);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private Attention attention(Attention.Kind kind) {
    Attention a = Attention.of(kind, 6, 5, 7);
    a.initialize(manager);
    return a;
  }

  @ParameterizedTest
  @EnumSource(Attention.Kind.class)
  void oneStepAtATimeEqualsAllStepsAtOnce(Attention.Kind kind) {
    Attention attention = attention(kind);
    NDArray query = manager.randomNormal(new Shape(3, 4, 6));
    Attention.Memory memory =
        attention.memory(manager.randomNormal(new Shape(3, 5, 5)), new int[] {5, 1, 3});
    Attention.Output all = attention.forward(query, memory);
    for (int t = 0; t < 4; t++) {
      Attention.Output one = attention.step(query.get(new NDIndex(":, {}", t)), memory);
      NDIndex at = new NDIndex(":, {}", t);
      Tensors.assertClose(
          "attention " + kind + " step " + t + " context",
          one.context(),
          all.context().get(at),
          1e-6);
      Tensors.assertClose(
          "attention " + kind + " step " + t + " weights",
          one.weights(),
          all.weights().get(at),
          1e-6);
    }
  }

  @Test
  void blocksOfTheAdditiveScoreGiveTheUnblockedResultAndGradients() {
    // Shapes whose [B, T, S, U] tensor exceeds SCORE_CHUNK_BYTES: by blocks of rows (few steps),
    // and by blocks of steps of one row (many steps).
    for (int[] bts : new int[][] {{9, 5, 30}, {3, 50, 30}}) {
      int units = 200;
      int batch = bts[0];
      int steps = bts[1];
      int source = bts[2];
      long bytes = (long) batch * steps * source * units * Double.BYTES;
      assertTrue(bytes > 2 * Attention.SCORE_CHUNK_BYTES, "the test needs blocks: " + bytes);
      Attention attention = Attention.normalizedBahdanau(8, 7, units);
      attention.initialize(manager, DataType.FLOAT64);
      NDArray query =
          manager.randomNormal(new Shape(batch, steps, 8)).toType(DataType.FLOAT64, false);
      NDArray keys =
          manager.randomNormal(new Shape(batch, source, 7)).toType(DataType.FLOAT64, false);
      query.setRequiresGradient(true);
      int[] lengths = new int[batch];
      for (int b = 0; b < batch; b++) {
        lengths[b] = source - b;
      }
      Map<String, NDArray> p = attention.stateDict();
      NDArray context;
      NDArray weights;
      NDArray expectedContext;
      NDArray expectedWeights;
      try (ai.djl.training.GradientCollector gc = engine.newGradientCollector()) {
        Attention.Output out = attention.forward(query, attention.memory(keys, lengths));
        context = out.context();
        weights = out.weights();
        gc.backward(context.sum().add(weights.mul(weights).sum()));
      }
      NDArray queryGradient = query.getGradient().duplicate();
      NDArray vGradient = p.get("linear_att").getGradient().duplicate();
      query.getGradient().subi(query.getGradient());
      p.get("linear_att").getGradient().subi(p.get("linear_att").getGradient());
      try (ai.djl.training.GradientCollector gc = engine.newGradientCollector()) {
        // The unblocked formula, written out.
        NDArray q =
            ai.djl.nn.core.Linear.linear(query, p.get("linear_q.weight"), null).singletonOrThrow();
        NDArray k =
            ai.djl.nn.core.Linear.linear(keys, p.get("linear_k.weight"), null)
                .singletonOrThrow()
                .add(p.get("normalize_bias"));
        NDArray v = p.get("linear_att");
        NDArray scores =
            q.expandDims(2)
                .add(k.expandDims(1))
                .tanh()
                .matMul(v)
                .mul(p.get("normalize_scalar"))
                .div(v.norm());
        float[] mask = new float[batch * source];
        for (int b = 0; b < batch; b++) {
          for (int s = lengths[b]; s < source; s++) {
            mask[b * source + s] = Float.NEGATIVE_INFINITY;
          }
        }
        NDArray bias =
            manager.create(mask, new Shape(batch, 1, source)).toType(DataType.FLOAT64, false);
        expectedWeights = scores.add(bias).softmax(-1);
        expectedContext = expectedWeights.matMul(keys);
        gc.backward(expectedContext.sum().add(expectedWeights.mul(expectedWeights).sum()));
      }
      String what = "blocked attention " + batch + "x" + steps;
      Tensors.assertClose(what + " context", context, expectedContext, 1e-12);
      Tensors.assertClose(what + " weights", weights, expectedWeights, 1e-12);
      Tensors.assertClose(what + " query gradient", queryGradient, query.getGradient(), 1e-10);
      Tensors.assertClose(
          what + " v gradient", vGradient, p.get("linear_att").getGradient(), 1e-10);
    }
  }

  @ParameterizedTest
  @EnumSource(Attention.Kind.class)
  void anEmptySourceGetsZeroWeightsAndAZeroContext(Attention.Kind kind) {
    Attention attention = attention(kind);
    NDArray keys = manager.randomNormal(new Shape(2, 3, 5));
    Attention.Output out =
        attention.forward(
            manager.randomNormal(new Shape(2, 2, 6)), attention.memory(keys, new int[] {0, 2}));
    float[] w = out.weights().toFloatArray();
    float[] c = out.context().toFloatArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(0f, w[i], "weight of the empty row");
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(0f, c[i], "context of the empty row");
    }
    for (int i = 6; i < 12; i++) {
      assertTrue(Float.isFinite(w[i]));
    }
    assertEquals(0f, w[8]);
    assertEquals(0f, w[11]);
    assertEquals(1.0, w[6] + w[7], 1e-6);
  }

  @ParameterizedTest
  @EnumSource(Attention.Kind.class)
  void selectedRowsAttendAsTheirOriginals(Attention.Kind kind) {
    Attention attention = attention(kind);
    Attention.Memory memory =
        attention.memory(manager.randomNormal(new Shape(3, 4, 5)), new int[] {4, 0, 2});
    int[] rows = {2, 2, 0, 1};
    NDArray query = manager.randomNormal(new Shape(3, 6));
    Attention.Output all = attention.step(query, memory);
    try (NDManager other = manager.newSubManager()) {
      Attention.Memory selected = memory.select(other, rows);
      assertEquals(4, selected.rows());
      assertEquals(2, selected.lengths()[0]);
      assertEquals(0, selected.lengths()[3]);
      NDArray rowIndex = manager.create(new long[] {2, 2, 0, 1});
      Attention.Output picked = attention.step(query.get(new NDIndex("{}", rowIndex)), selected);
      Tensors.assertClose(
          "attention " + kind + " selected context",
          picked.context(),
          all.context().get(new NDIndex("{}", rowIndex)),
          1e-6);
      Tensors.assertClose(
          "attention " + kind + " selected weights",
          picked.weights(),
          all.weights().get(new NDIndex("{}", rowIndex)),
          1e-6);
    }
  }

  @Test
  void aViewOutlivesTheManagerOfItsMemory() {
    Attention attention = attention(Attention.Kind.NORMALIZED_BAHDANAU);
    NDArray query = manager.randomNormal(new Shape(2, 6));
    Attention.Memory view;
    Attention.Output before;
    try (NDManager first = manager.newSubManager()) {
      Attention.Memory memory =
          attention.memory(first.randomNormal(new Shape(2, 3, 5)), new int[] {3, 2});
      before = attention.step(query, memory);
      view = memory.view(manager);
      assertEquals(manager, view.keys().getManager());
    }
    Tensors.assertClose(
        "attention through a view", attention.step(query, view).context(), before.context(), 0);
  }

  @Test
  void badInputIsRejectedWithItsName() {
    Attention attention = attention(Attention.Kind.NORMALIZED_BAHDANAU);
    NDArray keys = manager.randomNormal(new Shape(2, 3, 5));
    Attention.Memory memory = attention.memory(keys, null);
    assertMessage(
        "keys must be [batch, source steps, 5]",
        () -> attention.memory(manager.randomNormal(new Shape(2, 3, 4)), null));
    assertMessage(
        "lengths[1] = 4 is outside [0, 3]", () -> attention.memory(keys, new int[] {1, 4}));
    assertMessage(
        "lengths has 1 entries for a batch of 2", () -> attention.memory(keys, new int[] {1}));
    assertMessage(
        "query must be [batch, steps, 6]",
        () -> attention.forward(manager.randomNormal(new Shape(2, 1, 5)), memory));
    assertMessage(
        "query must be [batch, 6]",
        () -> attention.step(manager.randomNormal(new Shape(2, 1, 6)), memory));
    assertMessage(
        "query has 3 rows but the memory has 2",
        () -> attention.step(manager.randomNormal(new Shape(3, 6)), memory));
    assertMessage(
        "query has data type float64",
        () ->
            attention.step(manager.randomNormal(0, 1, new Shape(2, 6), DataType.FLOAT64), memory));
    assertMessage("rows[1] = 2 is outside [0, 2)", () -> memory.select(manager, new int[] {0, 2}));
    assertMessage("units must be positive", () -> Attention.normalizedBahdanau(3, 3, 0));
    Attention fresh = Attention.luong(6, 5);
    assertThrows(IllegalStateException.class, () -> fresh.memory(keys, null));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        ex.getMessage().contains(expected),
        "message '" + ex.getMessage() + "' lacks '" + expected + "'");
  }
}
