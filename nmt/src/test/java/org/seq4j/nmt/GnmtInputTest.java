package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.seq4j.engine.Seq4jEngine;

/** Wrong shapes, types, ids, lengths and states give an IllegalArgumentException naming them. */
class GnmtInputTest {
  private NDManager manager;
  private Gnmt gnmt;
  private GnmtConfig config;

  @BeforeEach
  void newModel() {
    manager = Seq4jEngine.get().newBaseManager();
    config = GnmtConfig.small(12).withSizes(4, 4).withLayers(2, 2);
    gnmt = GnmtTesting.model(config, manager, DataType.FLOAT32);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private NDArray ids(long[] values, long... shape) {
    return manager.create(values, new Shape(shape));
  }

  @Test
  void theTrainingForwardNamesWhatIsWrong() {
    NDArray sources = ids(new long[] {4, 5, 6, 7, 0, 0}, 2, 3);
    NDArray targets = ids(new long[] {2, 4, 2, 5}, 2, 2);
    int[] lengths = {3, 1};
    assertMessage(
        "sources must be [batch, steps]",
        () -> gnmt.logits(ids(new long[] {4, 5}, 2), lengths, targets, false));
    assertMessage(
        "sources must hold integer ids",
        () -> gnmt.logits(manager.zeros(new Shape(2, 3)), lengths, targets, false));
    assertMessage(
        "sources must lie in the vocabulary [0, 12), got ids from 0 to 12",
        () -> gnmt.logits(ids(new long[] {4, 5, 12, 7, 0, 0}, 2, 3), lengths, targets, false));
    assertMessage(
        "targetInputs must lie in the vocabulary",
        () -> gnmt.logits(sources, lengths, ids(new long[] {2, -1, 2, 5}, 2, 2), false));
    assertMessage(
        "targetInputs has 1 rows but sources has 2",
        () -> gnmt.logits(sources, lengths, ids(new long[] {2, 4}, 1, 2), false));
    assertMessage(
        "sourceLengths: one length per row (2), got 1",
        () -> gnmt.logits(sources, new int[] {3}, targets, false));
    assertMessage(
        "sourceLengths[1] = 4 is outside [0, 3]",
        () -> gnmt.logits(sources, new int[] {3, 4}, targets, false));
    GnmtBatch shifted = new GnmtBatch(sources, lengths, targets, ids(new long[] {4, 3, 5}, 1, 3));
    assertMessage(
        "targetOutputs has shape (1, 3) but targetInputs (2, 2)",
        () -> gnmt.loss(shifted, 0f, false));
    assertMessage(
        "targets[1][0] = 13 is outside the vocabulary [0, 12)",
        () ->
            GnmtBatch.of(
                manager,
                List.of(new int[] {4}, new int[] {5}),
                List.of(new int[] {4}, new int[] {13}),
                config));
    assertMessage(
        "sources and targets: the same positive number of sentences, got 1 and 0",
        () -> GnmtBatch.of(manager, List.of(new int[] {4}), List.of(), config));
  }

  @Test
  void decodingNamesWhatIsWrong() {
    assertMessage("sources: at least one sentence", () -> gnmt.start(manager, List.of()));
    assertMessage(
        "sources[1][2] = 20 is outside the vocabulary [0, 12)",
        () -> gnmt.start(manager, List.of(new int[] {4}, new int[] {5, 6, 20})));
    StepDecoder.DecoderState state = gnmt.start(manager, List.of(new int[] {4}, new int[] {5, 6}));
    assertMessage(
        "tokens: one per row (2), got 3", () -> gnmt.step(manager, state, new int[] {2, 2, 2}));
    assertMessage(
        "tokens[1] = -1 is outside the vocabulary",
        () -> gnmt.step(manager, state, new int[] {2, -1}));
    assertMessage("rows[0] = 2 is outside [0, 2)", () -> state.select(manager, new int[] {2}));
    StepDecoder.DecoderState foreign =
        new StepDecoder.DecoderState() {
          @Override
          public int rows() {
            return 2;
          }

          @Override
          public int[] sourceLengths() {
            return new int[] {1, 2};
          }

          @Override
          public StepDecoder.DecoderState select(NDManager m, int[] rows) {
            return this;
          }
        };
    assertMessage("state: not a GNMT state", () -> gnmt.step(manager, foreign, new int[] {2, 2}));
  }

  @Test
  void weightsAreCheckedByNameAndShape() {
    Map<String, NDArray> weights = new HashMap<>(gnmt.stateDict());
    weights.remove("decoder.attention.linear_att");
    assertMessage(
        "missing tensor 'decoder.attention.linear_att'", () -> gnmt.loadStateDict(weights));
    weights.put("decoder.attention.linear_att", manager.zeros(new Shape(5)));
    assertMessage(
        "tensor 'decoder.attention.linear_att' has shape (5), expected (4)",
        () -> gnmt.loadStateDict(weights));
    assertThrows(
        IllegalStateException.class,
        () ->
            new Gnmt(config)
                .logits(
                    ids(new long[] {4}, 1, 1), new int[] {1}, ids(new long[] {2}, 1, 1), false));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        ex.getMessage().contains(expected),
        "message '" + ex.getMessage() + "' lacks '" + expected + "'");
  }
}
