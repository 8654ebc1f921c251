package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.weightedSum;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;
import org.seq4j.testing.Tensors;

/**
 * Parity of {@link Attention} with the PyTorch attention of {@code tools/fixtures_gnmt.py} on
 * {@code fixtures/attention.safetensors}: normalized Bahdanau and Luong general over a padded
 * batch, queried at every target step at once. The context, the weights (exactly 0 on padding), and
 * the gradients of {@code L = sum(context ⊙ R_c) + sum(weights ⊙ R_w)} with respect to every
 * parameter, the query and the keys: float32 against PyTorch's float32 ({@link
 * Parity#assertFloat32Parity}), float64 against its float64 within {@link Parity#TOLERANCE}.
 */
class AttentionParityTest {
  @RegisterExtension
  static final ReferenceFixture fx = new ReferenceFixture("attention.safetensors");

  @ForEachFixtureCase
  void float32ContextWeightsAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64ContextWeightsAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  private void check(String name, DataType type) {
    int q = fx.number(name + ".query_size");
    int k = fx.number(name + ".key_size");
    Attention attention =
        fx.meta(name + ".kind").equals("bahdanau")
            ? Attention.normalizedBahdanau(q, k, fx.number(name + ".units"))
            : Attention.luong(q, k);
    attention.initialize(fx.manager(), type);
    Map<String, NDArray> params = fx.withPrefix(name + ".param.");
    assertEquals(new TreeSet<>(params.keySet()), new TreeSet<>(attention.stateDict().keySet()));
    attention.loadStateDict(params);
    NDArray query = leaf(fx.get(name + ".query"), fx.manager(), type);
    NDArray keys = leaf(fx.get(name + ".keys"), fx.manager(), type);
    int[] lengths = RnnTesting.lengths(fx.get(name + ".lengths"));

    Attention.Output out;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      out = attention.forward(query, attention.memory(keys, lengths));
      collector.backward(
          weightedSum(out.context(), fx.get(name + ".R.context"))
              .add(weightedSum(out.weights(), fx.get(name + ".R.weights"))));
    }
    boolean f64 = type == DataType.FLOAT64;
    String what = "attention " + name + (f64 ? " f64" : "");
    compare(what + " context", out.context(), name, "context", f64);
    compare(what + " weights", out.weights(), name, "weights", f64);
    compare(what + " grad query", query.getGradient(), name, "grad.query", f64);
    compare(what + " grad keys", keys.getGradient(), name, "grad.keys", f64);
    for (Map.Entry<String, NDArray> p : attention.stateDict().entrySet()) {
      compare(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          name,
          "grad." + p.getKey(),
          f64);
    }
    // Padding gets exactly zero weight.
    float[] w = out.weights().toType(DataType.FLOAT32, false).toFloatArray();
    long steps = out.weights().getShape().get(2);
    long perRow = out.weights().getShape().get(1) * steps;
    for (int i = 0; i < w.length; i++) {
      if (i % steps >= lengths[(int) (i / perRow)]) {
        assertEquals(0f, w[i], "weight on padding at " + i);
      }
    }
  }

  private static void compare(String what, NDArray actual, String name, String key, boolean f64) {
    fx.compare(
        what, actual, name, key, f64, (w, a, e) -> Tensors.assertClose(w, a, e, Parity.TOLERANCE));
  }
}
