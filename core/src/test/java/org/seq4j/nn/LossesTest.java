package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seq4j.testing.Parity.assertParity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.testing.ReferenceFixture;

/**
 * Parity of {@link Losses} with {@code torch.nn.functional} on {@code fixtures/losses.safetensors}
 * (written by {@code tools/fixtures_optim.py}).
 *
 * <p>Values are compared elementwise with {@code |a - b| / max(|b|, 1e-3) <= 1e-5}: a relative
 * error of 1e-5, with an absolute floor of 1e-8 for entries smaller than 1e-3.
 */
class LossesTest {

  @RegisterExtension static final ReferenceFixture fx = new ReferenceFixture("losses.safetensors");

  @Test
  void crossEntropyMatchesTorchWithAndWithoutLabelSmoothing() {
    int ignore = Integer.parseInt(fx.meta("ignore_index"));
    for (String name : fx.meta("cases").split(",")) {
      float eps = Float.parseFloat(fx.meta(name + ".label_smoothing"));
      NDArray targets = ids("targets", DataType.INT64);
      NDArray[] lossAndGrad =
          lossAndGradient(fx.get("logits"), x -> Losses.crossEntropy(x, targets, ignore, eps));
      assertParity("losses " + name + ".loss", lossAndGrad[0], fx.get(name + ".loss"));
      assertParity("losses " + name + ".grad", lossAndGrad[1], fx.get(name + ".grad"));
    }
  }

  @Test
  void crossEntropyAcceptsInt32TargetsAndAnOutOfRangeIgnoreIndex() {
    int pad = Integer.parseInt(fx.meta("ignore_index"));
    float eps = Float.parseFloat(fx.meta("smoothed.label_smoothing"));
    // Same batch with the padding written as -100: the ignored ids must never be gathered.
    NDArray targets = ids("targets", DataType.INT32);
    NDArray isPad = targets.eq(pad).toType(DataType.INT32, false);
    NDArray shifted = targets.sub(isPad.mul(100 + pad));
    NDArray[] lossAndGrad =
        lossAndGradient(fx.get("logits"), x -> Losses.crossEntropy(x, shifted, -100, eps));
    assertParity("losses smoothed.loss (int32, -100)", lossAndGrad[0], fx.get("smoothed.loss"));
    assertParity("losses smoothed.grad (int32, -100)", lossAndGrad[1], fx.get("smoothed.grad"));
  }

  @Test
  void crossEntropySumReturnsTheSumAndTheCountedTokens() {
    int ignore = Integer.parseInt(fx.meta("ignore_index"));
    NDArray targets = ids("targets", DataType.INT64);
    for (String name : fx.meta("cases").split(",")) {
      float eps = Float.parseFloat(fx.meta(name + ".label_smoothing"));
      Losses.TokenSum sum = Losses.crossEntropySum(fx.get("logits"), targets, ignore, eps);
      assertEquals(Long.parseLong(fx.meta("count")), sum.count());
      assertParity("losses " + name + ".sum", sum.sum(), fx.get(name + ".sum"));
      assertParity("losses " + name + ".loss (sum/count)", sum.mean(), fx.get(name + ".loss"));
    }
  }

  @Test
  void allIgnoredTargetsGiveZeroLossAndZeroGradient() {
    int ignore = Integer.parseInt(fx.meta("ignore_index"));
    float eps = Float.parseFloat(fx.meta("ignored.label_smoothing"));
    NDArray targets = ids("ignored.targets", DataType.INT64);
    NDArray[] lossAndGrad =
        lossAndGradient(
            fx.get("ignored.logits"), x -> Losses.crossEntropy(x, targets, ignore, eps));
    assertEquals(0f, lossAndGrad[0].getFloat());
    assertParity("losses ignored.grad", lossAndGrad[1], fx.get("ignored.grad"));
    Losses.TokenSum sum = Losses.crossEntropySum(fx.get("ignored.logits"), targets, ignore, eps);
    assertEquals(0, sum.count());
    assertEquals(0f, sum.mean().getFloat());
  }

  @Test
  void linearCrossEntropyEqualsCrossEntropyOfTheProjectionAcrossChunks() {
    // Enough counted positions that the logits come in several blocks of LOGIT_CHUNK_BYTES.
    int vocabulary = 700;
    int positions = (int) (2.5 * Losses.LOGIT_CHUNK_BYTES / (vocabulary * Double.BYTES));
    NDArray hidden =
        fx.manager().randomNormal(new Shape(2, positions / 2, 6)).toType(DataType.FLOAT64, false);
    NDArray weight =
        fx.manager().randomNormal(new Shape(vocabulary, 6)).toType(DataType.FLOAT64, false);
    NDArray bias = fx.manager().randomNormal(new Shape(vocabulary)).toType(DataType.FLOAT64, false);
    NDArray targets =
        fx.manager()
            .randomInteger(0, vocabulary, new Shape(2, positions / 2), DataType.INT64)
            .mul(fx.manager().randomUniform(0, 1, new Shape(2, positions / 2)).gt(0.3))
            .toType(DataType.INT64, false); // about 30% ignored (id 0)
    for (NDArray p : new NDArray[] {hidden, weight, bias}) {
      p.setRequiresGradient(true);
    }
    for (float eps : new float[] {0f, 0.1f}) {
      NDArray expected;
      NDArray[] expectedGrads = new NDArray[3];
      try (GradientCollector gc = fx.engine().newGradientCollector()) {
        NDArray logits = ai.djl.nn.core.Linear.linear(hidden, weight, bias).singletonOrThrow();
        expected = Losses.crossEntropy(logits, targets, 0, eps);
        gc.backward(expected);
      }
      NDArray[] params = {hidden, weight, bias};
      for (int i = 0; i < 3; i++) {
        expectedGrads[i] = params[i].getGradient().duplicate();
      }
      org.seq4j.optim.Gradients.zero(Map.of("h", hidden, "w", weight, "b", bias));
      NDArray actual;
      try (GradientCollector gc = fx.engine().newGradientCollector()) {
        actual = Losses.linearCrossEntropy(hidden, weight, bias, targets, 0, eps);
        gc.backward(actual);
      }
      org.seq4j.testing.Tensors.assertClose(
          "linear cross-entropy eps " + eps, actual, expected, 1e-12);
      for (int i = 0; i < 3; i++) {
        org.seq4j.testing.Tensors.assertClose(
            "linear cross-entropy gradient " + i + " eps " + eps,
            params[i].getGradient(),
            expectedGrads[i],
            1e-10);
      }
      org.seq4j.optim.Gradients.zero(Map.of("h", hidden, "w", weight, "b", bias));
      Losses.TokenSum sum = Losses.linearCrossEntropySum(hidden, weight, null, targets, 0, eps);
      Losses.TokenSum reference =
          Losses.crossEntropySum(
              ai.djl.nn.core.Linear.linear(hidden, weight, null).singletonOrThrow(),
              targets,
              0,
              eps);
      assertEquals(reference.count(), sum.count());
      org.seq4j.testing.Tensors.assertClose(
          "linear cross-entropy sum eps " + eps, sum.sum(), reference.sum(), 1e-12);
    }
    NDArray ignored = fx.manager().zeros(new Shape(2, positions / 2), DataType.INT64);
    assertEquals(
        0.0, Losses.linearCrossEntropy(hidden, weight, bias, ignored, 0, 0.1f).getDouble());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Losses.linearCrossEntropy(
                hidden, weight, bias, ignored.add(vocabulary), 0, 0.1f)); // out of range
    assertThrows(
        IllegalArgumentException.class,
        () -> Losses.linearCrossEntropy(hidden, weight.transpose(), bias, targets, 0, 0f));
  }

  @Test
  void mseMatchesTorch() {
    NDArray target = fx.get("mse.target");
    NDArray[] lossAndGrad = lossAndGradient(fx.get("mse.prediction"), x -> Losses.mse(x, target));
    assertParity("losses mse.loss", lossAndGrad[0], fx.get("mse.loss"));
    assertParity("losses mse.grad", lossAndGrad[1], fx.get("mse.grad"));
  }

  @Test
  void lossesLeaveOnlyTheirResultInTheManager() {
    NDArray logits = fx.manager().randomNormal(new Shape(2, 3, 5));
    NDArray targets = fx.manager().create(new long[] {1, 2, 0, 4, 0, 3}, new Shape(2, 3));
    int before = fx.manager().getManagedArrays().size();
    NDArray loss = Losses.crossEntropy(logits, targets, 0, 0.1f);
    assertEquals(before + 1, fx.manager().getManagedArrays().size());
    Losses.TokenSum sum = Losses.crossEntropySum(logits, targets, 0, 0f);
    assertEquals(before + 2, fx.manager().getManagedArrays().size());
    NDArray mse = Losses.mse(logits, logits.zerosLike());
    assertEquals(before + 4, fx.manager().getManagedArrays().size()); // zerosLike + result
    assertEquals(new Shape(), loss.getShape());
    assertEquals(new Shape(), sum.sum().getShape());
    assertEquals(new Shape(), mse.getShape());
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    NDArray logits = fx.manager().zeros(new Shape(2, 3, 5));
    NDArray targets = fx.manager().zeros(new Shape(3, 2), DataType.INT64);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Losses.crossEntropy(logits, targets, 0, 0f));
    assertTrue(e.getMessage().contains("(3, 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("(2, 3, 5)"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Losses.crossEntropySum(logits, fx.manager().zeros(new Shape(2, 3, 5)), 0, 0f));
    IllegalArgumentException mse =
        assertThrows(
            IllegalArgumentException.class,
            () -> Losses.mse(logits, fx.manager().zeros(new Shape(2, 3))));
    assertTrue(mse.getMessage().contains("(2, 3, 5)") && mse.getMessage().contains("(2, 3)"));
  }

  @Test
  void rejectsFloatTargetsAndInvalidSmoothing() {
    NDArray logits = fx.manager().zeros(new Shape(2, 5));
    NDArray floats = fx.manager().zeros(new Shape(2));
    NDArray ints = fx.manager().zeros(new Shape(2), DataType.INT64);
    assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, floats, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, ints, 0, -0.1f));
    assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, ints, 0, 1.5f));
    assertThrows(
        IllegalArgumentException.class, () -> Losses.crossEntropy(logits, ints, 0, Float.NaN));
  }

  /** Returns the fixture's class ids (stored as F32) converted to an integer type. */
  private NDArray ids(String key, DataType type) {
    return fx.get(key).toType(type, true);
  }

  /** Evaluates {@code loss} on a copy of {@code input} and returns {loss, d loss / d input}. */
  private NDArray[] lossAndGradient(NDArray input, Function<NDArray, NDArray> loss) {
    NDArray x = input.duplicate();
    x.attach(fx.manager());
    x.setRequiresGradient(true);
    NDArray value;
    try (GradientCollector gc = fx.engine().newGradientCollector()) {
      value = loss.apply(x);
      gc.backward(value);
    }
    return new NDArray[] {value, x.getGradient()};
  }
}
