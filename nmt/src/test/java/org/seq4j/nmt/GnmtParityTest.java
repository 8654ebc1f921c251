package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seq4j.nmt.GnmtTesting.ids;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.nn.Losses;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;
import org.seq4j.testing.Tensors;

/**
 * Interop with a PyTorch peer: the reference GNMT of {@code tools/fixtures_gnmt.py} (4 + 4 layers
 * of 8, vocabulary 23, a padded batch of sources of lengths 7, 3, 5, 1) saved its weights under
 * {@link Gnmt}'s names in {@code fixtures/gnmt.safetensors}. Loaded here, the same weights give the
 * same teacher-forced logits, label-smoothed loss and gradients of every parameter (float64: every
 * element within {@link Parity#TOLERANCE} of PyTorch's float64 result; float32: within 1e-4 of
 * PyTorch's float32 result, relative to the tensor's largest value), and the same greedy
 * translations through {@link StepDecoder}.
 */
class GnmtParityTest {
  /** The bound on float32 results against PyTorch's, relative to each tensor's largest value. */
  private static final double FLOAT32_TOLERANCE = 1e-4;

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture("gnmt.safetensors");

  @ForEachFixtureCase
  void float32LogitsLossGradientsAndGreedyOutputMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64LogitsLossGradientsAndGreedyOutputMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  private void check(String name, DataType type) {
    GnmtConfig config = GnmtTesting.config(fx.metadata(), name);
    Gnmt gnmt = GnmtTesting.model(config, fx.manager(), type);
    Map<String, NDArray> weights = fx.withPrefix(name + ".param.");
    assertEquals(
        new TreeSet<>(weights.keySet()), new TreeSet<>(gnmt.stateDict().keySet()), "names");
    gnmt.loadStateDict(weights);

    int[] sourceLengths = GnmtTesting.lengths(fx.get(name + ".source_lengths"));
    GnmtBatch batch =
        new GnmtBatch(
            ids(fx.get(name + ".sources"), fx.manager()),
            sourceLengths,
            ids(fx.get(name + ".target_inputs"), fx.manager()),
            ids(fx.get(name + ".target_outputs"), fx.manager()));
    float smoothing = Float.parseFloat(fx.meta("label_smoothing"));
    NDArray logits;
    NDArray loss;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      logits = gnmt.logits(batch.sources(), sourceLengths, batch.targetInputs(), false);
      loss = Losses.crossEntropy(logits, batch.targetOutputs(), config.pad(), smoothing);
      collector.backward(loss);
    }
    boolean f64 = type == DataType.FLOAT64;
    String what = "gnmt " + name + (f64 ? " f64" : "");
    check(what + " logits", logits, name, "logits", f64);
    check(what + " loss", loss, name, "loss", f64);
    double worst = 0;
    for (Map.Entry<String, NDArray> p : gnmt.stateDict().entrySet()) {
      worst =
          Math.max(
              worst,
              check(
                  what + " grad " + p.getKey(),
                  p.getValue().getGradient(),
                  name,
                  "grad." + p.getKey(),
                  f64));
    }
    System.out.printf(
        "parity %-52s worst relative error %.3e%n", what + " all parameter grads", worst);
    // Gnmt.loss projects only the non-PAD positions, in blocks (Losses.linearCrossEntropy): the
    // same terms summed in another order, so equal to rounding.
    Tensors.assertClose(
        what + " loss of GnmtBatch", gnmt.loss(batch, smoothing, false), loss, f64 ? 1e-12 : 1e-6);

    List<int[]> sources = GnmtTesting.rows(fx.get(name + ".sources"), sourceLengths);
    List<int[]> expected = GnmtTesting.rows(fx.get(name + ".greedy"), null);
    List<int[]> greedy =
        GreedyDecoding.decode(
            gnmt, fx.manager(), sources, (int) fx.get(name + ".greedy").getShape().get(1));
    System.out.printf(
        "parity %-44s identical: %s%n",
        what + " greedy output", greedy.stream().map(Arrays::toString).toList());
    for (int b = 0; b < sources.size(); b++) {
      assertArrayEquals(expected.get(b), greedy.get(b), what + " greedy output of source " + b);
    }
  }

  /**
   * In float64, every element within {@link Parity#TOLERANCE} of PyTorch's float64 result. In
   * float32, within {@link #FLOAT32_TOLERANCE} of PyTorch's float32 result relative to the largest
   * magnitude of the tensor: element-wise errors of values that cancel to near zero are float32
   * rounding of the larger terms, and depend on the summation order of each library and CPU.
   */
  private static double check(String what, NDArray actual, String name, String key, boolean f64) {
    if (f64) {
      return Tensors.assertClose(what, actual, fx.get(name + ".f64." + key), Parity.TOLERANCE);
    }
    NDArray expected = fx.get(name + "." + key);
    if (expected.size() != 1) {
      assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    }
    double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] b = expected.toType(DataType.FLOAT64, false).toDoubleArray();
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    double err = diff / Math.max(scale, Parity.FLOOR);
    System.out.printf("parity %-52s normwise relative error %.3e%n", what, err);
    assertTrue(err <= FLOAT32_TOLERANCE, what + ": normwise relative error " + err);
    return err;
  }
}
