package org.seq4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Array helpers shared by the parity and gradient tests of every module. */
public final class Tensors {
  private Tensors() {}

  /** A copy of {@code value} in {@code manager}, in {@code type}, that records its gradient. */
  public static NDArray leaf(NDArray value, NDManager manager, DataType type) {
    // A real copy: toType to the same type shares the tensor (and its gradient) with the source.
    NDArray copy = value.getDataType() == type ? value.duplicate() : value.toType(type, false);
    copy.attach(manager);
    copy.setRequiresGradient(true);
    return copy;
  }

  /** The entries of {@code tensors} named {@code prefix + name}, keyed by {@code name}. */
  public static Map<String, NDArray> withPrefix(Map<String, NDArray> tensors, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    tensors.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            out.put(key.substring(prefix.length()), value);
          }
        });
    return out;
  }

  /** {@code sum(a ⊙ weights)}, the scalar loss of the fixtures. */
  public static NDArray weightedSum(NDArray a, NDArray weights) {
    return a.mul(weights.toType(a.getDataType(), false)).sum();
  }

  /** The worst relative error ({@link Parity#relativeError}) of any-type arrays, in double. */
  public static double maxRelativeError(NDArray actual, NDArray expected) {
    double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] b = expected.toType(DataType.FLOAT64, false).toDoubleArray();
    assertEquals(b.length, a.length, "element count");
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Parity.relativeError(a[i], b[i]));
    }
    return worst;
  }

  /**
   * The worst of the relative errors ({@link #maxRelativeError}) of several arrays against their
   * references, given as pairs {@code actual1, expected1, actual2, expected2, ...}.
   */
  public static double maxRelativeError(NDArray... actualThenExpected) {
    if (actualThenExpected.length % 2 != 0) {
      throw new IllegalArgumentException("arrays must come in (actual, expected) pairs");
    }
    double worst = 0;
    for (int i = 0; i < actualThenExpected.length; i += 2) {
      worst = Math.max(worst, maxRelativeError(actualThenExpected[i], actualThenExpected[i + 1]));
    }
    return worst;
  }

  /**
   * Asserts shapes are equal and every element is within {@code tolerance} (relative, {@link
   * Parity#relativeError}), and reports it on a 44-column parity line.
   *
   * @return the worst relative error
   */
  public static double assertClose(
      String what, NDArray actual, NDArray expected, double tolerance) {
    assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    return assertWithin(what, actual, expected, tolerance, 44);
  }

  /**
   * Asserts every element of {@code actual} is within {@code tolerance} of {@code expected}
   * (relative, {@link Parity#relativeError}; shapes are not compared), and reports it as {@code
   * parity <what> worst relative error <e>} with {@code what} padded to {@code width} columns.
   *
   * @return the worst relative error
   */
  public static double assertWithin(
      String what, NDArray actual, NDArray expected, double tolerance, int width) {
    double worst = maxRelativeError(actual, expected);
    System.out.printf("parity %-" + width + "s worst relative error %.3e%n", what, worst);
    assertTrue(worst <= tolerance, what + ": worst relative error " + worst);
    return worst;
  }
}
