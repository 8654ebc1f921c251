package org.seq4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
import org.seq4j.testing.Parity;

/**
 * Parity of {@link Sgd}, {@link Adam}, {@link AdamW}, {@link GradClip} and {@link LrSchedule} with
 * {@code torch.optim} on {@code fixtures/optim.safetensors} (written by {@code
 * tools/fixtures_optim.py}): ten steps on two parameters, gradients clipped to a global norm before
 * every step, parameters compared after every step.
 *
 * <p>Values are compared elementwise with {@code |a - b| / max(|b|, 1e-3) <= 1e-5}: a relative
 * error of 1e-5, with an absolute floor of 1e-8 for entries smaller than 1e-3.
 */
class OptimizerParityTest {

  private static Engine engine;
  private static NDManager fixtureManager;
  private static Map<String, NDArray> fx;
  private static Map<String, String> meta;

  private NDManager manager;

  @BeforeAll
  static void loadFixtures() throws Exception {
    engine = Seq4jEngine.get();
    fixtureManager = engine.newBaseManager();
    Path path = Parity.fixture("optim.safetensors");
    fx = SafeTensors.load(path, fixtureManager);
    meta = SafeTensors.readMetadata(path);
  }

  @AfterAll
  static void closeFixtures() {
    fixtureManager.close();
  }

  @BeforeEach
  void newManager() {
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  static List<String> runs() throws Exception {
    Path path = Parity.fixture("optim.safetensors");
    return List.of(SafeTensors.readMetadata(path).get("runs").split(","));
  }

  @ParameterizedTest
  @MethodSource("runs")
  void parametersAfterEveryStepMatchTorch(String run) {
    Map<String, NDArray> params = initialParams();
    double maxNorm = Double.parseDouble(meta.get("max_norm"));
    LrSchedule schedule = schedule(run);
    int steps = Integer.parseInt(meta.get("steps"));
    double worstParam = 0;
    double worstNorm = 0;
    try (Optimizer opt = optimizer(run)) {
      assertEquals(meta.get(run + ".kind"), opt.kind());
      for (int step = 0; step < steps; step++) {
        Map<String, NDArray> grads = grads(step);
        double norm = GradClip.byGlobalNorm(grads.values(), maxNorm);
        float expectedNorm = fx.get(run + ".clip_norm").getFloat(step);
        worstNorm = Math.max(worstNorm, Parity.relativeError(norm, expectedNorm));

        double lr = schedule.lr(step);
        assertTrue(
            Parity.relativeError(lr, fx.get(run + ".lrs").getFloat(step)) <= 1e-6, "lr " + step);
        opt.setLearningRate(lr);
        opt.step(params, grads);
        assertEquals(step + 1, opt.stepCount());
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
          NDArray expected = fx.get(run + "." + p.getKey()).get(step);
          worstParam = Math.max(worstParam, Parity.maxRelativeError(p.getValue(), expected));
        }
        grads.values().forEach(NDArray::close);
      }
    }
    System.out.printf(
        "parity optim %-14s params worst relative error %.3e, clip norm %.3e%n",
        run, worstParam, worstNorm);
    assertTrue(worstParam <= Parity.TOLERANCE, run + ": worst parameter error " + worstParam);
    assertTrue(worstNorm <= Parity.TOLERANCE, run + ": worst clip-norm error " + worstNorm);
  }

  private Optimizer optimizer(String run) {
    String kind = meta.get(run + ".kind");
    double lr = number(run, "lr");
    double wd = number(run, "weight_decay");
    switch (kind) {
      case "sgd":
        return new Sgd(
            manager,
            lr,
            number(run, "momentum"),
            number(run, "dampening"),
            wd,
            Boolean.parseBoolean(meta.get(run + ".nesterov")));
      case "adam":
        return new Adam(
            manager, lr, number(run, "beta1"), number(run, "beta2"), number(run, "eps"), wd);
      case "adamw":
        return new AdamW(
            manager, lr, number(run, "beta1"), number(run, "beta2"), number(run, "eps"), wd);
      default:
        throw new IllegalArgumentException("Unknown optimizer kind " + kind);
    }
  }

  private LrSchedule schedule(String run) {
    String name = meta.get(run + ".schedule");
    if (name == null) {
      return LrSchedule.constant(number(run, "lr"));
    }
    assertEquals("warmup_inverse_sqrt", name);
    return LrSchedule.warmupInverseSqrt(
        number(run, "lr"), Long.parseLong(meta.get(run + ".warmup_steps")));
  }

  private double number(String run, String key) {
    return Double.parseDouble(meta.get(run + "." + key));
  }

  private Map<String, NDArray> initialParams() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (String name : meta.get("params").split(",")) {
      NDArray p = fx.get("init." + name).duplicate();
      p.attach(manager);
      params.put(name, p);
    }
    return params;
  }

  private Map<String, NDArray> grads(int step) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    for (String name : meta.get("params").split(",")) {
      try (NDArray view = fx.get("grads." + name).get(step)) {
        NDArray g = view.duplicate();
        g.attach(manager);
        grads.put(name, g);
      }
    }
    return grads;
  }
}
