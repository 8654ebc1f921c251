package org.seq4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.DoubleBuffer;
import java.util.function.Supplier;

/** Checks autograd gradients against central differences, in float64. */
public final class FiniteDifference {
  private FiniteDifference() {}

  /**
   * Asserts the gradient {@code analytic[i]} of {@code loss} with respect to entry {@code i} of
   * {@code array} equals the central difference {@code (L(x + eps) - L(x - eps)) / (2 eps)} within
   * {@link Parity#TOLERANCE} (relative). {@code values} holds the entries of {@code array}; the
   * entry is restored after.
   *
   * @param loss evaluates the float64 scalar loss at the current entries of {@code array}
   * @return the relative error
   */
  public static double assertEntry(
      String what,
      NDArray array,
      double[] values,
      double[] analytic,
      int i,
      double eps,
      Supplier<NDArray> loss) {
    double saved = values[i];
    values[i] = saved + eps;
    array.set(DoubleBuffer.wrap(values));
    double plus = scalar(loss);
    values[i] = saved - eps;
    array.set(DoubleBuffer.wrap(values));
    double minus = scalar(loss);
    values[i] = saved;
    array.set(DoubleBuffer.wrap(values));
    double numeric = (plus - minus) / (2 * eps);
    double err = Parity.relativeError(analytic[i], numeric);
    assertTrue(
        err <= Parity.TOLERANCE,
        what + "[" + i + "]: autograd " + analytic[i] + ", central difference " + numeric);
    return err;
  }

  private static double scalar(Supplier<NDArray> loss) {
    NDArray value = loss.get();
    assertEquals(DataType.FLOAT64, value.getDataType());
    return value.getDouble();
  }
}
