package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.testing.Parity;

/** Helpers shared by the recurrent tests. */
final class RnnTesting {
  private RnnTesting() {}

  /** A copy of {@code value} in {@code manager}, in {@code type}, that records its gradient. */
  static NDArray leaf(NDArray value, NDManager manager, DataType type) {
    // A real copy: toType to the same type shares the tensor (and its gradient) with the source.
    NDArray copy = value.getDataType() == type ? value.duplicate() : value.toType(type, false);
    copy.attach(manager);
    copy.setRequiresGradient(true);
    return copy;
  }

  /** The entries of {@code tensors} named {@code prefix + name}, keyed by {@code name}. */
  static Map<String, NDArray> withPrefix(Map<String, NDArray> tensors, String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    tensors.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            out.put(key.substring(prefix.length()), value);
          }
        });
    return out;
  }

  /** Lengths stored as F32 in a fixture. */
  static int[] lengths(NDArray stored) {
    return stored.toType(DataType.INT32, true).toIntArray();
  }

  /** {@code sum(a ⊙ weights)} as the scalar loss of the fixtures; null {@code a} adds nothing. */
  static NDArray weightedSum(NDArray a, NDArray weights) {
    return a.mul(weights.toType(a.getDataType(), false)).sum();
  }

  /** The worst relative error ({@link Parity#relativeError}) of any-type arrays, in double. */
  static double maxRelativeError(NDArray actual, NDArray expected) {
    double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] b = expected.toType(DataType.FLOAT64, false).toDoubleArray();
    assertEquals(b.length, a.length, "element count");
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Parity.relativeError(a[i], b[i]));
    }
    return worst;
  }

  /** Asserts shapes are equal and every element is within {@code tolerance}, and reports it. */
  static double assertClose(String what, NDArray actual, NDArray expected, double tolerance) {
    assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    double worst = maxRelativeError(actual, expected);
    System.out.printf("parity %-44s worst relative error %.3e%n", what, worst);
    assertTrue(worst <= tolerance, what + ": worst relative error " + worst);
    return worst;
  }

  /** A builder for {@code mode} ({@code lstm}, {@code gru}, {@code rnn_tanh}, {@code rnn_relu}). */
  static RecurrentLayer.Builder<?> builder(String mode) {
    return switch (mode) {
      case "lstm" -> Lstm.builder();
      case "gru" -> Gru.builder();
      case "rnn_tanh" -> Rnn.builder();
      case "rnn_relu" -> Rnn.builder().relu();
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
  }

  /** Builds with the concrete builder's {@code build()}. */
  static RecurrentLayer build(RecurrentLayer.Builder<?> b) {
    if (b instanceof Lstm.Builder lstm) {
      return lstm.build();
    }
    if (b instanceof Gru.Builder gru) {
      return gru.build();
    }
    return ((Rnn.Builder) b).build();
  }
}
