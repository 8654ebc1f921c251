package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtBatch;
import org.seq4j.nmt.GnmtConfig;

class TrainBoundTest {
  @Test
  void theBoundIsTheStepwiseTimeOverTheSharedTime() {
    TrainBound b = new TrainBound(2, 850_000, 2_040_000);
    assertEquals(2.4, b.maxRatio(), 1e-12);
    assertEquals(
        "bound, 2 thread(s): encoder, projection, loss and Adam alone (seq4j-shared-part) take 850"
            + " ms a training step, seq4j-stepwise 2040 ms, so even a decoder of no cost gives"
            + " seq4j/seq4j-stepwise at most 2.40",
        b.line());
    assertEquals(2.4, (double) b.toJsonFields().get("max_tokens_per_s_ratio_vs_seq4j-stepwise"));
    assertEquals("nmt-train-bound", b.toJsonFields().get("op"));
    assertThrows(IllegalArgumentException.class, () -> new TrainBound(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TrainBound(1, 1, Double.NaN));
  }

  /**
   * The shared part trains every parameter outside the decoder, tied or not, and no decoder
   * parameter: {@link NmtTrainer#check} fails on a parameter without a finite, non-zero gradient.
   */
  @Test
  void theSharedPartReachesEveryParameterOutsideTheDecoder() {
    Engine engine = Seq4jEngine.get();
    GnmtConfig small = GnmtConfig.small(23).withSizes(6, 6);
    for (GnmtConfig config : List.of(small, small.withTying(false, false))) {
      engine.setRandomSeed(3);
      NmtWorkload data = NmtWorkload.of(config, 4, 1, 1, 7, 5);
      try (NDManager m = engine.newBaseManager()) {
        Gnmt model = new Gnmt(config);
        model.initialize(m);
        GnmtBatch batch = GnmtBatch.of(m, data.trainSources(), data.trainTargets(), config);
        try (NmtTrainer shared = NmtTrainer.sharedPart(m, config, model.stateDict(), batch)) {
          shared.check();
          shared.call().run();
          assertEquals(NmtTrainer.SHARED_PART, shared.impl());
        }
      }
    }
  }
}
