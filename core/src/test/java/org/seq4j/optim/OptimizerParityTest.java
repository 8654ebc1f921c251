package org.seq4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;

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

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture("optim.safetensors");

  static Stream<String> runs() throws IOException {
    return ReferenceFixture.list("optim.safetensors", "runs");
  }

  @ParameterizedTest
  @MethodSource("runs")
  void parametersAfterEveryStepMatchTorch(String run) {
    Map<String, NDArray> params = initialParams();
    double maxNorm = Double.parseDouble(fx.meta("max_norm"));
    LrSchedule schedule = schedule(run);
    int steps = Integer.parseInt(fx.meta("steps"));
    double worstParam = 0;
    double worstNorm = 0;
    try (Optimizer opt = optimizer(run)) {
      assertEquals(fx.meta(run + ".kind"), opt.kind());
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
    String kind = fx.meta(run + ".kind");
    double lr = number(run, "lr");
    double wd = number(run, "weight_decay");
    switch (kind) {
      case "sgd":
        return new Sgd(
            fx.manager(),
            lr,
            number(run, "momentum"),
            number(run, "dampening"),
            wd,
            Boolean.parseBoolean(fx.meta(run + ".nesterov")));
      case "adam":
        return new Adam(
            fx.manager(), lr, number(run, "beta1"), number(run, "beta2"), number(run, "eps"), wd);
      case "adamw":
        return new AdamW(
            fx.manager(), lr, number(run, "beta1"), number(run, "beta2"), number(run, "eps"), wd);
      default:
        throw new IllegalArgumentException("Unknown optimizer kind " + kind);
    }
  }

  private LrSchedule schedule(String run) {
    String name = fx.meta(run + ".schedule");
    if (name == null) {
      return LrSchedule.constant(number(run, "lr"));
    }
    assertEquals("warmup_inverse_sqrt", name);
    return LrSchedule.warmupInverseSqrt(
        number(run, "lr"), Long.parseLong(fx.meta(run + ".warmup_steps")));
  }

  private double number(String run, String key) {
    return Double.parseDouble(fx.meta(run + "." + key));
  }

  private Map<String, NDArray> initialParams() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (String name : fx.meta("params").split(",")) {
      NDArray p = fx.get("init." + name).duplicate();
      p.attach(fx.manager());
      params.put(name, p);
    }
    return params;
  }

  private Map<String, NDArray> grads(int step) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    for (String name : fx.meta("params").split(",")) {
      try (NDArray view = fx.get("grads." + name).get(step)) {
        NDArray g = view.duplicate();
        g.attach(fx.manager());
        grads.put(name, g);
      }
    }
    return grads;
  }
}
