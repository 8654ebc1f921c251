package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seq4j.nn.RecurrentLayerInputTest.assertMentions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.seq4j.engine.Seq4jEngine;

/** The cells' argument checks, state dicts, DJL block interface and memory behaviour. */
class CellInputTest {
  private NDManager manager;
  private LstmCell lstm;
  private GruCell gru;
  private RnnCell rnn;

  @BeforeEach
  void setUp() {
    manager = Seq4jEngine.get().newBaseManager();
    lstm = new LstmCell(5, 4, true);
    gru = new GruCell(5, 4, false);
    rnn = new RnnCell(5, 4, true, true);
    for (AbstractCell cell : List.of(lstm, gru, rnn)) {
      cell.initialize(manager);
    }
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void wrongInputSizeNamesXAndBothSizes() {
    NDArray x = manager.zeros(new Shape(3, 6));
    for (AbstractCell cell : List.of(lstm, gru, rnn)) {
      assertMentions(rejects(() -> cell.forward(x, null)), "x", "5", "(3, 6)");
    }
    assertMentions(rejects(() -> gru.forward(manager.zeros(new Shape(2, 3, 5)), null)), "x");
    NDArray doubles = manager.zeros(new Shape(3, 5), DataType.FLOAT64);
    assertMentions(rejects(() -> rnn.forward(doubles, null)), "x", "float64");
  }

  @Test
  void stepsFromProjectedInputsEqualPlainSteps() {
    NDArray xs = manager.randomNormal(new Shape(3, 6, 5));
    for (AbstractCell cell : List.of(lstm, gru, rnn)) {
      NDArray projected = cell.projectInput(xs);
      assertEquals(new Shape(3, 6, cell.mode().gates() * 4L), projected.getShape());
      RnnState plain = null;
      RnnState fromProjected = null;
      for (int t = 0; t < 6; t++) {
        plain = cell.forward(xs.get(":, {}", t), plain);
        fromProjected = cell.forwardProjected(projected.get(":, {}", t), fromProjected);
      }
      assertArrayEquals(plain.h().toFloatArray(), fromProjected.h().toFloatArray(), 1e-6f);
      if (cell.mode().hasCell()) {
        assertArrayEquals(plain.c().toFloatArray(), fromProjected.c().toFloatArray(), 1e-6f);
      }
    }
  }

  @Test
  void wrongProjectionsAreNamed() {
    assertMentions(rejects(() -> lstm.projectInput(manager.zeros(new Shape(3, 6)))), "x", "5");
    assertMentions(
        rejects(() -> lstm.forwardProjected(manager.zeros(new Shape(3, 12)), null)),
        "projected",
        "16");
    NDArray doubles = manager.zeros(new Shape(3, 16), DataType.FLOAT64);
    assertMentions(rejects(() -> lstm.forwardProjected(doubles, null)), "projected", "float64");
    NDArray wrong = manager.zeros(new Shape(2, 4));
    assertMentions(
        rejects(() -> lstm.forwardProjected(manager.zeros(new Shape(3, 16)), RnnState.of(wrong))),
        "h");
  }

  @Test
  void mismatchedStatesNameHOrC() {
    NDArray x = manager.zeros(new Shape(3, 5));
    NDArray good = manager.zeros(new Shape(3, 4));
    NDArray wrong = manager.zeros(new Shape(2, 4));
    assertMentions(rejects(() -> lstm.forward(x, new RnnState(wrong, good))), "h", "(2, 4)");
    assertMentions(rejects(() -> lstm.forward(x, new RnnState(good, wrong))), "c", "(2, 4)");
    assertMentions(rejects(() -> lstm.forward(x, RnnState.of(good))), "c");
    assertMentions(rejects(() -> gru.forward(x, new RnnState(good, good))), "c");
    assertMentions(
        rejects(() -> rnn.forward(x, RnnState.of(manager.zeros(new Shape(3, 5))))), "h", "(3, 5)");
  }

  @Test
  void stateDictHasPyTorchsNamesAndShapes() {
    Map<String, NDArray> sd = lstm.stateDict();
    assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(sd.keySet()));
    assertEquals(new Shape(16, 5), sd.get("weight_ih").getShape());
    assertEquals(new Shape(16, 4), sd.get("weight_hh").getShape());
    assertEquals(new Shape(16), sd.get("bias_hh").getShape());
    assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(gru.stateDict().keySet()));
    assertEquals(new Shape(12, 5), gru.stateDict().get("weight_ih").getShape());
    assertEquals(new Shape(4, 4), rnn.stateDict().get("weight_hh").getShape());
  }

  @Test
  void loadStateDictCopiesValuesAndNamesABadTensor() {
    Map<String, NDArray> source = new LinkedHashMap<>();
    lstm.stateDict().forEach((k, v) -> source.put(k, v.onesLike().mul(0.25f)));
    NDArray live = lstm.stateDict().get("weight_ih");
    lstm.loadStateDict(source);
    assertSame(live, lstm.stateDict().get("weight_ih"), "the parameters are updated in place");
    assertEquals(0.25f, live.getFloat(0, 0));
    source.get("weight_ih").muli(2); // a copy, not an alias
    assertEquals(0.25f, live.getFloat(0, 0));

    Map<String, NDArray> misshapen = new LinkedHashMap<>(source);
    misshapen.put("bias_ih", manager.zeros(new Shape(12)));
    assertMentions(rejects(() -> lstm.loadStateDict(misshapen)), "bias_ih", "(12)", "(16)");
    Map<String, NDArray> missing = new LinkedHashMap<>(source);
    missing.remove("weight_hh");
    assertMentions(rejects(() -> lstm.loadStateDict(missing)), "weight_hh");
    assertMentions(rejects(() -> gru.loadStateDict(source)), "bias_ih");
  }

  @Test
  void uninitializedCellSaysSo() {
    LstmCell fresh = new LstmCell(5, 4, true);
    assertThrows(IllegalStateException.class, fresh::stateDict);
    assertThrows(
        IllegalStateException.class, () -> fresh.forward(manager.zeros(new Shape(1, 5)), null));
  }

  @Test
  void djlBlockInterfaceMatchesTheTypedOne() {
    NDArray x = manager.randomNormal(new Shape(3, 5));
    NDArray h = manager.randomNormal(new Shape(3, 4));
    NDArray c = manager.randomNormal(new Shape(3, 4));
    ParameterStore store = new ParameterStore(manager, false);
    NDList out = lstm.forward(store, new NDList(x, h, c), false);
    RnnState typed = lstm.forward(x, new RnnState(h, c));
    assertArrayEquals(typed.h().toFloatArray(), out.get(0).toFloatArray());
    assertArrayEquals(typed.c().toFloatArray(), out.get(1).toFloatArray());
    NDList zeroState = gru.forward(store, new NDList(x), false);
    assertArrayEquals(gru.forward(x, null).h().toFloatArray(), zeroState.get(0).toFloatArray());
    Shape[] shapes = lstm.getOutputShapes(new Shape[] {new Shape(3, 5)});
    assertArrayEquals(new Shape[] {new Shape(3, 4), new Shape(3, 4)}, shapes);
    assertEquals(1, rnn.getOutputShapes(new Shape[] {new Shape(3, 5)}).length);
  }

  @Test
  void aStepCreatesItsArraysInTheManagersOfItsInputs() {
    try (NDManager steps = Seq4jEngine.get().newBaseManager()) {
      int before = manager.getManagedArrays().size(); // the weights' manager
      for (AbstractCell cell : List.of(lstm, gru, rnn)) {
        NDArray x = steps.randomNormal(new Shape(3, 5));
        RnnState state = cell.forward(x, null);
        state = cell.forward(x, state);
        assertSame(steps, state.h().getManager());
      }
      assertEquals(before, manager.getManagedArrays().size());
      assertTrue(steps.getManagedArrays().size() > 3);
    }
  }

  private static String rejects(Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }
}
