package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seq4j.testing.Tensors.assertClose;
import static org.seq4j.testing.Tensors.leaf;
import static org.seq4j.testing.Tensors.weightedSum;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.testing.ForEachFixtureCase;
import org.seq4j.testing.Parity;
import org.seq4j.testing.ReferenceFixture;

/**
 * Parity of {@link Tcn} with the reference {@code TemporalConvNet} of {@code locuslab/TCN} on
 * {@code fixtures/tcn.safetensors} (written by {@code tools/fixtures_tcn.py}): the state dict saved
 * from PyTorch loads, and the output and the gradients of {@code L = sum(y ⊙ R)} with respect to
 * every parameter ({@code weight_g}, {@code weight_v}, biases, downsample) and the input match, for
 * kernels 2 and 3, two and three blocks, with and without downsample convolutions. Float32 against
 * PyTorch's float32 within {@link Parity#TOLERANCE}, or, where the two round differently, about as
 * accurate as PyTorch against its float64 result ({@link Parity#assertFloat32Parity}) or within
 * 1e-6 of the tensor's largest magnitude ({@link #assertNormwise}); float64 against its float64
 * results within 1e-7: they are stored rounded to float32, which alone moves them by up to 6e-8.
 */
class TcnParityTest {
  private static final String FILE = "tcn.safetensors";
  private static final double FLOAT64_TOLERANCE = 1e-7;

  /** See {@link #assertNormwise}: about 17 float32 unit roundoffs (6e-8). */
  private static final double FLOAT32_NORMWISE = 1e-6;

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture(FILE);

  @ForEachFixtureCase
  void float32OutputAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT32);
  }

  @ForEachFixtureCase
  void float64OutputAndGradientsMatchTorch(String name) {
    check(name, DataType.FLOAT64);
  }

  private void check(String name, DataType type) {
    int[] channels =
        Arrays.stream(fx.meta(name + ".channels").split(",")).mapToInt(Integer::parseInt).toArray();
    Tcn tcn =
        Tcn.builder()
            .inputSize(fx.number(name + ".inputs"))
            .channels(channels)
            .kernelSize(fx.number(name + ".kernel"))
            .build();
    assertEquals(fx.number(name + ".receptive_field"), tcn.receptiveField());
    tcn.initialize(fx.manager(), type);
    tcn.loadStateDict(fx.withPrefix(name + ".param."));
    NDArray x = leaf(fx.get(name + ".x"), fx.manager(), type);
    NDArray y;
    try (GradientCollector collector = fx.engine().newGradientCollector()) {
      y = tcn.forward(x, false); // dropout (0.2) off, as in the reference's eval()
      collector.backward(weightedSum(y, fx.get(name + ".R.output")));
    }
    boolean f64 = type == DataType.FLOAT64;
    String what = "tcn " + name + (f64 ? " f64" : "");
    compare(what + " output", y, name, "output", f64);
    for (Map.Entry<String, NDArray> p : tcn.stateDict().entrySet()) {
      compare(
          what + " grad " + p.getKey(),
          p.getValue().getGradient(),
          name,
          "grad." + p.getKey(),
          f64);
    }
    compare(what + " grad x", x.getGradient(), name, "grad.x", f64);
  }

  private static double compare(String what, NDArray actual, String name, String key, boolean f64) {
    if (!f64 && !asAccurateAsTorch(actual, name, key)) {
      return assertNormwise(what, actual, name, key);
    }
    return fx.compare(
        what, actual, name, key, f64, (w, a, e) -> assertClose(w, a, e, FLOAT64_TOLERANCE));
  }

  /** Whether a float32 result passes {@link Parity#assertFloat32Parity}. */
  private static boolean asAccurateAsTorch(NDArray actual, String name, String key) {
    NDArray torch32 = fx.get(name + "." + key);
    NDArray torch64 = fx.get(name + ".f64." + key);
    if (Parity.maxRelativeError(actual, torch32) <= Parity.TOLERANCE) {
      return true;
    }
    double ours = Parity.maxRelativeError(actual, torch64);
    double theirs = Parity.maxRelativeError(torch32, torch64);
    return ours <= Math.max(Parity.FLOAT32_ROUNDING, Parity.ACCURACY_FACTOR * theirs);
  }

  /**
   * Asserts a float32 result is as accurate as float32 allows, measured against the scale of the
   * tensor: within {@link #FLOAT32_NORMWISE} of its largest magnitude from PyTorch's float64
   * result. Element-wise relative errors (with the floor {@link Parity#FLOOR}) overstate the error
   * of an element that is a small difference of large terms: {@code grad x[7] = −9.2e-5} of case
   * {@code k3_3blocks_field_longer_than_input} sums terms of order 1, so summing them in another
   * order than PyTorch (the taps stacked into one 1×1 convolution) moves it by 1.0e-7, which the
   * floor turns into 1.0e-4, just over {@link Parity#FLOAT32_ROUNDING} (PyTorch's own float32
   * result is 1.1e-8 off there); relative to the tensor's largest magnitude it is 1.7e-7, a float32
   * rounding error. A wrong equation misses by orders of magnitude more.
   *
   * @return the worst relative error against PyTorch's float32 result
   */
  private static double assertNormwise(String what, NDArray actual, String name, String key) {
    NDArray torch32 = fx.get(name + "." + key);
    float[] a = actual.toFloatArray();
    float[] e = fx.get(name + ".f64." + key).toFloatArray();
    assertEquals(e.length, a.length, what + ": element count");
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      scale = Math.max(scale, Math.abs(e[i]));
      worst = Math.max(worst, Math.abs((double) a[i] - e[i]));
    }
    double normwise = worst / scale;
    double relative = Parity.maxRelativeError(actual, torch32);
    System.out.printf(
        "parity %-44s worst relative error %.3e (against float64: %.3e of the largest magnitude)%n",
        what, relative, normwise);
    assertTrue(
        normwise <= FLOAT32_NORMWISE,
        what + ": worst error " + normwise + " of the largest magnitude against float64");
    return relative;
  }
}
