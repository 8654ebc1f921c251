package org.seq4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seq4j.engine.Seq4jEngine;

/** Behaviour of {@link Optimizer} beyond numerical parity: state, memory, validation. */
class OptimizerTest {

  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private Optimizer create(String kind, NDManager parent) {
    switch (kind) {
      case "sgd":
        return new Sgd(parent, 0.1, 0.9, 0.0, 0.01, false);
      case "sgd_nesterov":
        return new Sgd(parent, 0.1, 0.9, 0.0, 0.01, true);
      case "sgd_dampened":
        return new Sgd(parent, 0.1, 0.9, 0.5, 0.0, false);
      case "adam":
        return new Adam(parent, 0.01, 0.9, 0.999, 1e-8, 0.01);
      case "adamw":
        return new AdamW(parent, 0.01, 0.9, 0.999, 1e-8, 0.01);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  /** Parameters [4,3] and [3], and a deterministic gradient for each step. */
  private Map<String, NDArray> params() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    params.put("encoder.weight", manager.arange(12f).reshape(4, 3).div(7f).sub(0.5f));
    params.put("encoder.bias", manager.create(new float[] {0.3f, -0.2f, 0.1f}));
    return params;
  }

  private Map<String, NDArray> grads(Map<String, NDArray> params, int step) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> p : params.entrySet()) {
      NDArray v = p.getValue();
      grads.put(p.getKey(), v.mul(v).muli((float) Math.sin(step + 1)).addi(0.05f * step));
    }
    return grads;
  }

  private Map<String, NDArray> copy(Map<String, NDArray> params) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.duplicate()));
    return out;
  }

  private void steps(Optimizer opt, Map<String, NDArray> params, int from, int to) {
    for (int s = from; s < to; s++) {
      Map<String, NDArray> grads = grads(params, s);
      GradClip.byGlobalNorm(grads.values(), 1.0);
      opt.step(params, grads);
      grads.values().forEach(NDArray::close);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "sgd_nesterov", "sgd_dampened", "adam", "adamw"})
  void stateRoundTripGivesBitIdenticalParameters(String kind) {
    Map<String, NDArray> a = params();
    Map<String, NDArray> b;
    try (Optimizer first = create(kind, manager);
        Optimizer second = create(kind, manager)) {
      steps(first, a, 0, 5);
      b = copy(a);
      // Load through independent copies, closed afterwards: the optimizer must copy them.
      Map<String, NDArray> saved = new LinkedHashMap<>();
      first.state().forEach((k, v) -> saved.put(k, v.duplicate()));
      second.loadState(saved, first.stepCount());
      saved.values().forEach(NDArray::close);
      assertEquals(5, second.stepCount());
      assertEquals(first.state().keySet(), second.state().keySet());
      steps(first, a, 5, 10);
      steps(second, b, 5, 10);
      assertEquals(10, second.stepCount());
    }
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).toFloatArray(), b.get(name).toFloatArray(), name);
    }
  }

  @Test
  void stateKeysNameSlotAndParameter() {
    Map<String, NDArray> params = params();
    try (Optimizer adam = create("adam", manager);
        Optimizer sgd = create("sgd", manager);
        Optimizer plain = new Sgd(manager, 0.1)) {
      assertTrue(adam.state().isEmpty());
      steps(adam, params, 0, 1);
      steps(sgd, params, 0, 1);
      steps(plain, params, 0, 1);
      assertEquals(
          List.of(
              "exp_avg/encoder.weight",
              "exp_avg_sq/encoder.weight",
              "exp_avg/encoder.bias",
              "exp_avg_sq/encoder.bias"),
          List.copyOf(adam.state().keySet()));
      assertEquals(
          Set.of("momentum_buffer/encoder.weight", "momentum_buffer/encoder.bias"),
          sgd.state().keySet());
      assertTrue(plain.state().isEmpty());
      assertEquals(new Shape(4, 3), adam.state().get("exp_avg_sq/encoder.weight").getShape());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "sgd_nesterov", "adam", "adamw"})
  void hundredStepsDoNotGrowTheManager(String kind) {
    Map<String, NDArray> params = params();
    try (Optimizer opt = create(kind, manager)) {
      Map<String, NDArray> grads = grads(params, 3);
      opt.step(params, grads);
      int after = manager.getManagedArrays().size();
      for (int s = 0; s < 100; s++) {
        GradClip.byGlobalNorm(grads.values(), 0.5);
        opt.step(params, grads);
      }
      assertEquals(after, manager.getManagedArrays().size());
      assertEquals(101, opt.stepCount());
    }
  }

  @Test
  void stepInsideAnOuterScopeKeepsTheState() {
    Map<String, NDArray> params = params();
    try (Optimizer opt = create("adam", manager)) {
      try (NDScope outer = new NDScope()) {
        outer.suppressNotUsedWarning();
        Map<String, NDArray> grads = grads(params, 0);
        opt.step(params, grads);
        Map<String, NDArray> saved = new LinkedHashMap<>();
        opt.state().forEach((k, v) -> saved.put(k, v.duplicate()));
        opt.loadState(saved, 1);
      }
      for (NDArray s : opt.state().values()) {
        assertFalse(s.isReleased());
      }
      for (NDArray p : params.values()) {
        assertFalse(p.isReleased());
      }
      steps(opt, params, 1, 2);
    }
  }

  @Test
  void closeFreesTheStateAndIsIdempotent() {
    Map<String, NDArray> params = params();
    int before = manager.getManagedArrays().size();
    Optimizer opt = create("adamw", manager);
    steps(opt, params, 0, 2);
    List<NDArray> state = List.copyOf(opt.state().values());
    opt.close();
    opt.close();
    assertEquals(before, manager.getManagedArrays().size());
    assertTrue(state.stream().allMatch(NDArray::isReleased));
    assertThrows(IllegalStateException.class, () -> opt.step(params, grads(params, 0)));
  }

  @Test
  void updatesParametersThatRequireGradients() {
    Map<String, NDArray> params = params();
    Map<String, NDArray> reference = copy(params);
    params.values().forEach(p -> p.setRequiresGradient(true));
    Function<NDArray, NDArray> loss = p -> p.mul(p).sum().mul(0.5f);
    try (Optimizer opt = create("adam", manager);
        Optimizer refOpt = create("adam", manager)) {
      for (int s = 0; s < 3; s++) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try (GradientCollector gc = engine.newGradientCollector()) {
          NDArray total = null;
          for (NDArray p : params.values()) {
            NDArray l = loss.apply(p);
            total = total == null ? l : total.add(l);
          }
          gc.backward(total);
          for (Map.Entry<String, NDArray> p : params.entrySet()) {
            grads.put(p.getKey(), p.getValue().getGradient());
          }
          // Still recording: the step must switch autograd off to update leaves in place.
          opt.step(params, grads);
        }
        grads.values().forEach(NDArray::close);
        // d(0.5 |p|^2)/dp = p, computed without autograd.
        refOpt.step(reference, copy(reference));
        for (NDArray p : params.values()) {
          // Gradients accumulate across backward passes in DJL's PyTorch engine: reset them.
          try (NDArray g = p.getGradient()) {
            g.subi(g);
          }
        }
      }
    }
    for (String name : params.keySet()) {
      assertTrue(params.get(name).hasGradient());
      assertArrayEquals(
          reference.get(name).toFloatArray(), params.get(name).toFloatArray(), 1e-6f, name);
    }
  }

  @Test
  void hyperParametersAndKinds() {
    try (Sgd sgd = new Sgd(manager, 0.1, 0.9, 0.1, 0.01, false);
        Adam adam = new Adam(manager, 0.001);
        AdamW adamw = new AdamW(manager, 0.002)) {
      assertEquals("sgd", sgd.kind());
      assertEquals("adam", adam.kind());
      assertEquals("adamw", adamw.kind());
      assertEquals(
          Map.of(
              "lr",
              0.1,
              "momentum",
              0.9,
              "dampening",
              0.1,
              "weight_decay",
              0.01,
              "nesterov",
              false),
          sgd.hyperParameters());
      assertEquals(
          Map.of("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0),
          adam.hyperParameters());
      assertEquals(0.01, adamw.hyperParameters().get("weight_decay"));
      adamw.setLearningRate(0.5);
      assertEquals(0.5, adamw.learningRate());
      assertEquals(0.5, adamw.hyperParameters().get("lr"));
    }
  }

  @Test
  void rejectsInvalidHyperParameters() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, 0.1, -0.9, 0, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, 0.1, 0.9, 1.5, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, 0.1, 0.9, 0, -1, false));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, 0.1, 0, 0, 0, true));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(manager, 0.1, 0.9, 0.1, 0, true));
    assertThrows(IllegalArgumentException.class, () -> new Adam(manager, 0.1, 1.0, 0.999, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(manager, 0.1, 0.9, -0.1, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(manager, 0.1, 0.9, 0.999, -1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new AdamW(manager, 0.1, 0.9, 0.999, 1e-8, -0.01));
    try (Optimizer opt = new Adam(manager, 0.1)) {
      assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(-1));
      assertThrows(
          IllegalArgumentException.class, () -> opt.setLearningRate(Double.POSITIVE_INFINITY));
    }
  }

  @Test
  void rejectsMissingOrMisshapedGradients() {
    Map<String, NDArray> params = params();
    try (Optimizer opt = create("adam", manager)) {
      Map<String, NDArray> missing = grads(params, 0);
      missing.remove("encoder.bias");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> opt.step(params, missing));
      assertTrue(e.getMessage().contains("encoder.bias"), e.getMessage());

      Map<String, NDArray> misshaped = grads(params, 0);
      misshaped.put("encoder.bias", manager.zeros(new Shape(4)));
      e = assertThrows(IllegalArgumentException.class, () -> opt.step(params, misshaped));
      assertTrue(e.getMessage().contains("encoder.bias"), e.getMessage());
      assertEquals(0, opt.stepCount());
    }
  }

  @Test
  void loadStateRejectsUnknownMissingAndMisshapedKeys() {
    Map<String, NDArray> params = params();
    try (Optimizer stepped = create("adam", manager);
        Optimizer fresh = create("adam", manager)) {
      steps(stepped, params, 0, 1);
      Map<String, NDArray> good = new LinkedHashMap<>(stepped.state());

      Map<String, NDArray> unknown = new LinkedHashMap<>(good);
      unknown.put("momentum_buffer/encoder.bias", manager.zeros(new Shape(3)));
      assertMessageNames("momentum_buffer/encoder.bias", () -> stepped.loadState(unknown, 1));
      assertMessageNames("momentum_buffer/encoder.bias", () -> fresh.loadState(unknown, 1));

      Map<String, NDArray> missing = new LinkedHashMap<>(good);
      missing.remove("exp_avg_sq/encoder.weight");
      assertMessageNames("exp_avg_sq/encoder.weight", () -> stepped.loadState(missing, 1));
      assertMessageNames("exp_avg_sq/encoder.weight", () -> fresh.loadState(missing, 1));

      Map<String, NDArray> misshaped = new LinkedHashMap<>(good);
      misshaped.put("exp_avg/encoder.bias", manager.zeros(new Shape(2)));
      assertMessageNames("exp_avg/encoder.bias", () -> stepped.loadState(misshaped, 1));
      assertMessageNames("exp_avg/encoder.bias", () -> fresh.loadState(misshaped, 1));

      assertMessageNames(
          "noslash", () -> fresh.loadState(Map.of("noslash", good.get("exp_avg/encoder.bias")), 1));
      assertThrows(IllegalArgumentException.class, () -> fresh.loadState(good, -1));
      assertTrue(fresh.state().isEmpty());
      assertEquals(0, fresh.stepCount());

      // A state loaded for a parameter of another shape is caught before any update.
      Map<String, NDArray> wrongParam = new LinkedHashMap<>();
      wrongParam.put("exp_avg/encoder.bias", manager.zeros(new Shape(5)));
      wrongParam.put("exp_avg_sq/encoder.bias", manager.zeros(new Shape(5)));
      fresh.loadState(wrongParam, 1);
      float[] before = params.get("encoder.weight").toFloatArray();
      assertMessageNames("encoder.bias", () -> fresh.step(params, grads(params, 0)));
      assertArrayEquals(before, params.get("encoder.weight").toFloatArray());

      // Loading a valid state replaces the live arrays with copies.
      NDArray live = stepped.state().get("exp_avg/encoder.weight");
      stepped.loadState(good, 1);
      assertNotSame(live, stepped.state().get("exp_avg/encoder.weight"));
    }
  }

  private static void assertMessageNames(String key, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
