package org.seq4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.Checkpoint;
import org.seq4j.optim.Adam;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;

class TrainLoopTest {
  private static final long SEED = 42;

  private final Engine engine = Seq4jEngine.get();

  /** Trains a fresh model from {@code seed}, resuming from dir if asked; returns final weights. */
  private Map<String, int[]> train(Path dir, long maxSteps, boolean resume) {
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(7);
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 7);
      TrainLoop loop =
          TrainLoop.builder()
              .maxSteps(maxSteps)
              .validateEvery(5)
              .checkpointEvery(5)
              .checkpointDir(dir)
              .clipNorm(0.5)
              .seed(SEED)
              .resume(resume)
              .build();
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0.001)) {
        loop.run(task, opt, LrSchedule.warmupInverseSqrt(1e-2, 4), manager);
      }
      return bits(task.parameters());
    }
  }

  private static Map<String, int[]> bits(Map<String, NDArray> params) {
    Map<String, int[]> out = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> {
          float[] f = v.toFloatArray();
          int[] b = new int[f.length];
          for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
          }
          out.put(k, b);
        });
    return out;
  }

  @Test
  void resumedRunIsBitIdenticalToUninterruptedRun(@TempDir Path tmp) {
    assertEquals(1, Seq4jEngine.threads(), "exact resume is defined on one thread");
    Map<String, int[]> straight = train(tmp.resolve("straight"), 23, false);
    Map<String, int[]> first = train(tmp.resolve("resumed"), 10, false);
    Map<String, int[]> resumed = train(tmp.resolve("resumed"), 23, true);
    assertEquals(straight.keySet(), resumed.keySet());
    for (String name : straight.keySet()) {
      assertArrayEquals(straight.get(name), resumed.get(name), name + " differs after resume");
    }
    // The first half alone must differ, or the test would prove nothing.
    assertFalse(java.util.Arrays.equals(first.get("fc1.weight"), straight.get("fc1.weight")));
  }

  @Test
  void thousandStepsKeepLiveNativeArraysFlat() {
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(7);
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 50);
      List<Integer> live = new ArrayList<>();
      TrainLoop loop = TrainLoop.builder().maxSteps(1000).validateEvery(100).seed(SEED).build();
      loop.addListener(
          new TrainListener() {
            @Override
            public void onStep(StepStats s) {
              live.add(manager.getManagedArrays().size());
            }
          });
      try (Optimizer opt = new Adam(manager, 1e-3, 0.9, 0.999, 1e-8, 0)) {
        TrainLoop.Summary summary = loop.run(task, opt, LrSchedule.constant(1e-3), manager);
        assertEquals(1000, summary.endStep());
      }
      assertEquals(1000, live.size());
      int afterWarmup = live.get(9);
      for (int i = 10; i < live.size(); i++) {
        assertEquals(afterWarmup, live.get(i), "live native arrays changed at step " + (i + 1));
      }
      // Parameters plus optimizer state only: 4 weights and 2 moments each.
      assertTrue(afterWarmup <= 4 + 2 * 4 + 4, "live arrays: " + afterWarmup);
    }
  }

  @Test
  void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(7);
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 7);
      task.nanAtStep = 6;
      TrainLoop loop =
          TrainLoop.builder().maxSteps(20).checkpointEvery(3).checkpointDir(dir).seed(SEED).build();
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0)) {
        TrainingDivergedException ex =
            assertThrows(
                TrainingDivergedException.class,
                () -> loop.run(task, opt, LrSchedule.constant(1e-2), manager));
        assertTrue(ex.getMessage().contains("step 7"), ex.getMessage());
        assertTrue(ex.getMessage().contains("NaN"), ex.getMessage());
        assertTrue(ex.getMessage().contains("last.safetensors"), ex.getMessage());
        assertEquals(6, ex.step());
        Map<String, int[]> before = bits(task.parameters());
        for (int[] b : before.values()) {
          for (int v : b) {
            assertFalse(Float.isNaN(Float.intBitsToFloat(v)), "NaN reached the weights");
          }
        }
      }
      try (NDManager m = engine.newBaseManager()) {
        Checkpoint last = Checkpoint.load(dir.resolve(TrainLoop.LAST), m);
        assertEquals(6, last.progress().get("step").asLong());
        assertEquals(4, last.weights().size());
      }
    }
  }

  @Test
  void nonFiniteStepsAreSkippedUpToTheAllowedNumber(@TempDir Path dir) {
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(7);
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 7);
      task.nanAtStep = 6;
      List<String> skipped = new ArrayList<>();
      List<Long> updated = new ArrayList<>();
      TrainLoop loop = TrainLoop.builder().maxSteps(10).skipNonFiniteSteps(1).seed(SEED).build();
      loop.addListener(
          new TrainListener() {
            @Override
            public void onStep(StepStats s) {
              updated.add(s.step());
            }

            @Override
            public void onSkippedStep(long step, String reason) {
              skipped.add(step + ": " + reason);
            }
          });
      TrainLoop.Summary summary;
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0)) {
        summary = loop.run(task, opt, LrSchedule.constant(1e-2), manager);
      }
      assertEquals(10, summary.endStep());
      assertEquals(1, summary.skippedSteps());
      assertEquals(1, skipped.size());
      assertTrue(skipped.get(0).startsWith("7: step 7: the loss is NaN"), skipped.get(0));
      assertTrue(skipped.get(0).contains("skipped (1 of at most 1)"), skipped.get(0));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L), updated);
      for (int[] b : bits(task.parameters()).values()) {
        for (int v : b) {
          assertFalse(Float.isNaN(Float.intBitsToFloat(v)), "NaN reached the weights");
        }
      }

      // One more than allowed stops the run, saying how many were skipped.
      task.nanAtStep = 12;
      TrainLoop strict =
          TrainLoop.builder().maxSteps(20).skipNonFiniteSteps(0).checkpointDir(dir).build();
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0)) {
        TrainingDivergedException ex =
            assertThrows(
                TrainingDivergedException.class,
                () -> strict.run(task, opt, LrSchedule.constant(1e-2), manager));
        assertEquals(12, ex.step());
      }
      assertThrows(
          IllegalArgumentException.class, () -> TrainLoop.builder().skipNonFiniteSteps(-1));
    }
  }

  @Test
  void resumedRunKeepsItsLogsAndCurveWhole(@TempDir Path dir) throws Exception {
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(7);
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 7);
      TrainLoop first =
          TrainLoop.builder()
              .maxSteps(8)
              .validateEvery(4)
              .checkpointEvery(4)
              .checkpointDir(dir)
              .seed(SEED)
              .build();
      first.addListener(new CsvLogListener(dir));
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0)) {
        first.run(task, opt, LrSchedule.constant(1e-2), manager);
      }
      // A run that died after its last checkpoint (step 8) had logged steps 9 and 10.
      Files.writeString(
          dir.resolve("train.csv"),
          "9,1,0.5,0.01,1,1,1,1\n10,1,0.5,0.01,1,1,1,1\n",
          java.nio.file.StandardOpenOption.APPEND);
      Files.writeString(
          dir.resolve("valid.csv"), "10,0.5\n", java.nio.file.StandardOpenOption.APPEND);

      TrainLoop resumed =
          TrainLoop.builder()
              .maxSteps(12)
              .validateEvery(4)
              .checkpointEvery(4)
              .checkpointDir(dir)
              .seed(SEED)
              .resume(true)
              .build();
      resumed.addListener(new CsvLogListener(dir));
      LossCurveListener curve =
          new LossCurveListener(dir.resolve("loss.png"), "test").withHistory(dir);
      resumed.addListener(curve);
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0)) {
        resumed.run(task, opt, LrSchedule.constant(1e-2), manager);
      }
      List<Long> trainSteps = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("train.csv")).subList(1, 13)) {
        trainSteps.add(Long.parseLong(line.split(",")[0]));
      }
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), trainSteps);
      assertEquals(13, Files.readAllLines(dir.resolve("train.csv")).size());
      List<String> valid = Files.readAllLines(dir.resolve("valid.csv"));
      assertEquals(4, valid.size(), String.join("|", valid)); // header, steps 4, 8 and 12
      assertTrue(valid.get(3).startsWith("12,"), valid.get(3));
      assertEquals(12, curve.trainPoints());
      assertEquals(3, curve.validationPoints());
      assertTrue(Files.size(dir.resolve("loss.png")) > 1000, "loss curve PNG written");
    }
  }

  @Test
  void keepsTheBestCheckpointAndWritesLogs(@TempDir Path dir) throws Exception {
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(7);
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 7);
      TrainLoop loop =
          TrainLoop.builder()
              .maxEpochs(4)
              .validateEvery(7)
              .checkpointDir(dir)
              .bestMetric("loss", false)
              .seed(SEED)
              .build();
      loop.addListener(new CsvLogListener(dir));
      loop.addListener(new LossCurveListener(dir.resolve("loss.png"), "test"));
      loop.addListener(new ProgressBarListener("test", 0));
      TrainLoop.Summary summary;
      try (Optimizer opt = new Adam(manager, 1e-2, 0.9, 0.999, 1e-8, 0)) {
        summary = loop.run(task, opt, LrSchedule.constant(1e-2), manager);
      }
      assertEquals(28, summary.endStep());
      assertEquals(4, summary.epoch());
      List<String> valid = Files.readAllLines(dir.resolve("valid.csv"));
      assertEquals("step,loss", valid.get(0));
      assertEquals(5, valid.size()); // header + 4 validations
      assertEquals(29, Files.readAllLines(dir.resolve("train.csv")).size());
      double best = Double.MAX_VALUE;
      for (String line : valid.subList(1, valid.size())) {
        best = Math.min(best, Double.parseDouble(line.split(",")[1]));
      }
      assertEquals(best, summary.bestValue(), 1e-5 * best);
      try (NDManager m = engine.newBaseManager()) {
        Checkpoint ckpt = Checkpoint.load(dir.resolve(TrainLoop.BEST), m);
        assertEquals(best, ckpt.progress().get("best_value").asDouble(), 1e-5 * best);
        assertEquals("adam", ckpt.optimizer().get("kind").asText());
        assertEquals(8, ckpt.optimizerState().size());
      }
      assertTrue(Files.size(dir.resolve("loss.png")) > 1000, "loss curve PNG written");
    }
  }

  @Test
  void stopsWhenTheTimeBudgetIsSpent() {
    try (NDManager manager = engine.newBaseManager()) {
      TinyRegressionTask task = new TinyRegressionTask(manager, SEED, 7);
      TrainLoop loop = TrainLoop.builder().maxMinutes(0.002).seed(SEED).build(); // 120 ms
      loop.addListener(new ProgressBarListener("timed", 0.002));
      try (Optimizer opt = new Adam(manager, 1e-3, 0.9, 0.999, 1e-8, 0)) {
        TrainLoop.Summary s = loop.run(task, opt, LrSchedule.constant(1e-3), manager);
        assertTrue(s.endStep() > 0, "made progress");
        assertTrue(s.seconds() < 5, "stopped on time: " + s.seconds());
      }
    }
  }

  @Test
  void budgetIsRequired() {
    assertThrows(IllegalArgumentException.class, () -> TrainLoop.builder().build());
  }
}
