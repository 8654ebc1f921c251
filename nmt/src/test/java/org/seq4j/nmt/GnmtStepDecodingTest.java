package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nn.Attention;
import org.seq4j.testing.Tensors;

/**
 * The per-step path ({@link StepDecoder}) gives the fused training forward's log-probabilities and
 * attention weights at every position, for both attention kinds and both query variants, in float64
 * and float32, on a padded batch with an empty source; and a state's selected rows continue as the
 * rows they were selected from.
 */
class GnmtStepDecodingTest {
  private static final List<int[]> SOURCES =
      List.of(new int[] {5, 6, 7, 8, 9}, new int[] {10, 4}, new int[] {}, new int[] {11, 12, 13});
  private static final List<int[]> TARGETS =
      List.of(new int[] {4, 5, 6}, new int[] {7}, new int[] {8, 9, 10, 11}, new int[] {12, 13});

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

  static Stream<Arguments> variants() {
    return Stream.of(DataType.FLOAT64, DataType.FLOAT32)
        .flatMap(
            type ->
                Stream.of(Attention.Kind.values())
                    .flatMap(
                        kind ->
                            Stream.of(GnmtConfig.Query.values())
                                .map(query -> Arguments.of(type, kind, query))));
  }

  private static GnmtConfig config(Attention.Kind kind, GnmtConfig.Query query) {
    return GnmtConfig.small(16)
        .withSizes(6, 6)
        .withLayers(3, 4)
        .withAttention(kind)
        .withQuery(query)
        .withTying(kind == Attention.Kind.LUONG, kind != Attention.Kind.LUONG);
  }

  @ParameterizedTest
  @MethodSource("variants")
  void stepByStepEqualsTheFusedForward(DataType type, Attention.Kind kind, GnmtConfig.Query query) {
    Gnmt gnmt = GnmtTesting.model(config(kind, query), manager, type);
    for (NDArray p : gnmt.stateDict().values()) { // livelier than U(±0.1)
      p.set(manager.randomUniform(-1, 1, p.getShape(), type).toByteBuffer());
    }
    GnmtBatch batch = GnmtBatch.of(manager, SOURCES, TARGETS, gnmt.config());
    Gnmt.Output fused =
        gnmt.forward(batch.sources(), batch.sourceLengths(), batch.targetInputs(), false);
    NDArray logProbs = fused.logits().logSoftmax(-1);
    int steps = (int) batch.targetInputs().getShape().get(1);
    int[] inputs = batch.targetInputs().toType(DataType.INT32, false).toIntArray();
    double tolerance = type == DataType.FLOAT64 ? 1e-10 : 1e-5;
    String what = "gnmt step " + kind + " " + query.id() + " " + type;
    StepDecoder.DecoderState state = gnmt.start(manager, SOURCES);
    assertEquals(4, state.rows());
    double worst = 0;
    for (int t = 0; t < steps; t++) {
      int[] tokens = new int[SOURCES.size()];
      for (int b = 0; b < tokens.length; b++) {
        tokens[b] = inputs[b * steps + t];
      }
      StepDecoder.StepOutput out = gnmt.step(manager, state, tokens);
      NDIndex at = new NDIndex(":, {}", t);
      worst = Math.max(worst, Tensors.maxRelativeError(out.logProbs(), logProbs.get(at)));
      worst = Math.max(worst, Tensors.maxRelativeError(out.attention(), fused.attention().get(at)));
      state = out.next();
    }
    System.out.printf("parity %-60s worst relative error %.3e%n", what, worst);
    org.junit.jupiter.api.Assertions.assertTrue(worst <= tolerance, what + ": " + worst);
  }

  @ParameterizedTest
  @MethodSource("variants")
  void selectedRowsContinueAsTheirOriginals(
      DataType type, Attention.Kind kind, GnmtConfig.Query query) {
    Gnmt gnmt = GnmtTesting.model(config(kind, query), manager, type);
    StepDecoder.DecoderState state = gnmt.start(manager, SOURCES);
    state = gnmt.step(manager, state, new int[] {2, 2, 2, 2}).next();
    int[] rows = {3, 0, 0, 2};
    StepDecoder.DecoderState selected;
    try (NDManager other = manager.newSubManager()) {
      selected = state.select(other, rows).select(manager, new int[] {0, 1, 2, 3});
    }
    assertEquals(3, selected.sourceLengths()[0]);
    assertEquals(0, selected.sourceLengths()[3]);
    StepDecoder.StepOutput all = gnmt.step(manager, state, new int[] {4, 5, 6, 7});
    StepDecoder.StepOutput some = gnmt.step(manager, selected, new int[] {7, 4, 4, 6});
    NDArray index = manager.create(new long[] {3, 0, 0, 2});
    Tensors.assertClose(
        "gnmt selected log-probs " + kind + " " + query.id() + " " + type,
        some.logProbs(),
        all.logProbs().get(new NDIndex("{}", index)),
        1e-6);
    Tensors.assertClose(
        "gnmt selected attention " + kind + " " + query.id() + " " + type,
        some.attention(),
        all.attention().get(new NDIndex("{}", index)),
        1e-6);
  }
}
