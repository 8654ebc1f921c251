package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.seq4j.engine.Seq4jEngine;

/** A recurrent layer rejects inputs that do not fit, naming the argument. */
class RecurrentLayerInputTest {
  private NDManager manager;
  private Lstm lstm;
  private Gru gru;

  @BeforeEach
  void setUp() {
    manager = Seq4jEngine.get().newBaseManager();
    lstm = Lstm.builder().inputSize(5).hiddenSize(4).layers(2).bidirectional().build();
    lstm.initialize(manager);
    gru = Gru.builder().inputSize(5).hiddenSize(4).build();
    gru.initialize(manager);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void wrongInputSizeNamesXAndBothSizes() {
    NDArray x = manager.zeros(new Shape(2, 3, 6));
    String message = rejects(() -> lstm.forward(x, null, null, false));
    assertMentions(message, "x", "5", "(2, 3, 6)");
    rejects(() -> lstm.forward(manager.zeros(new Shape(2, 5)), null, null, false));
  }

  @Test
  void lengthsOutsideOneToTAreRejected() {
    NDArray x = manager.zeros(new Shape(2, 3, 5));
    assertMentions(rejects(() -> lstm.forward(x, new int[] {3, 4}, null, false)), "lengths", "4");
    assertMentions(rejects(() -> lstm.forward(x, new int[] {0, 3}, null, false)), "lengths", "0");
    assertMentions(rejects(() -> gru.forward(x, new int[] {-1, 3}, null, false)), "lengths");
  }

  @Test
  void lengthsMustHaveOneEntryPerSequence() {
    NDArray x = manager.zeros(new Shape(2, 3, 5));
    assertMentions(rejects(() -> lstm.forward(x, new int[] {3}, null, false)), "lengths", "1");
    assertMentions(rejects(() -> gru.forward(x, new int[] {3, 2, 1}, null, false)), "lengths");
  }

  @Test
  void mismatchedInitialStatesNameHOrC() {
    NDArray x = manager.zeros(new Shape(2, 3, 5));
    NDArray good = manager.zeros(new Shape(4, 2, 4)); // 2 layers x 2 directions, batch 2
    NDArray wrongBatch = manager.zeros(new Shape(4, 3, 4));
    NDArray wrongSlices = manager.zeros(new Shape(2, 2, 4));
    assertMentions(
        rejects(() -> lstm.forward(x, null, new RnnState(wrongBatch, good), false)),
        "h",
        "(4, 3, 4)");
    assertMentions(
        rejects(() -> lstm.forward(x, null, new RnnState(good, wrongSlices), false)),
        "c",
        "(2, 2, 4)");
    assertMentions(rejects(() -> lstm.forward(x, null, RnnState.of(good), false)), "c");
    NDArray gruState = manager.zeros(new Shape(1, 2, 4));
    assertMentions(
        rejects(() -> gru.forward(x, null, new RnnState(gruState, gruState), false)), "c");
    assertMentions(
        rejects(() -> gru.forward(x, null, RnnState.of(manager.zeros(new Shape(1, 2, 5))), false)),
        "h");
  }

  @Test
  void loadStateDictNamesTheTensor() {
    var weights = new java.util.LinkedHashMap<>(gru.stateDict());
    weights.put("weight_hh_l0", manager.zeros(new Shape(12, 5)));
    assertMentions(rejects(() -> gru.loadStateDict(weights)), "weight_hh_l0", "(12, 5)");
    weights.remove("weight_hh_l0");
    assertMentions(rejects(() -> gru.loadStateDict(weights)), "weight_hh_l0");
    var extra = new java.util.LinkedHashMap<>(gru.stateDict());
    extra.put("weight_ih_l1", manager.zeros(new Shape(12, 4)));
    assertMentions(rejects(() -> gru.loadStateDict(extra)), "weight_ih_l1");
  }

  private static String rejects(Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }

  /** Asserts {@code message} contains every fragment; single letters must stand as words. */
  static void assertMentions(String message, String... fragments) {
    for (String f : fragments) {
      boolean found =
          f.length() == 1 ? message.matches("(?s).*\\b" + f + "\\b.*") : message.contains(f);
      assertTrue(found, "message should mention '" + f + "': " + message);
    }
  }
}
