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
