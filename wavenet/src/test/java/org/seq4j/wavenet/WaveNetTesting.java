package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.testing.Parity;

/** Helpers shared by the WaveNet tests. */
final class WaveNetTesting {
  /** The bound on float64 results against PyTorch's float64 results (stored rounded to F32). */
  static final double FLOAT64_TOLERANCE = 1e-6;

  private WaveNetTesting() {}

  /** A copy of {@code value} in {@code manager}, in {@code type}, that records its gradient. */
  static NDArray leaf(NDArray value, NDManager manager, DataType type) {
    NDArray copy = value.getDataType() == type ? value.duplicate() : value.toType(type, false);
    copy.attach(manager);
    copy.setRequiresGradient(true);
    return copy;
  }

  /** Integer ids stored as F32 in a fixture, as INT64 in {@code manager}. */
  static NDArray ids(NDArray stored, NDManager manager) {
    NDArray ids = stored.toType(DataType.INT64, true);
    ids.attach(manager);
    return ids;
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

  /** {@code sum(a ⊙ weights)}, the scalar loss of the fixtures. */
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

  /** Asserts shapes are equal and every element is within {@code tolerance}; reports it. */
  static double assertClose(String what, NDArray actual, NDArray expected, double tolerance) {
    if (expected.size() != 1 || actual.size() != 1) {
      assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    }
    double worst = maxRelativeError(actual, expected);
    System.out.printf("parity %-52s worst relative error %.3e%n", what, worst);
    assertTrue(worst <= tolerance, what + ": worst relative error " + worst);
    return worst;
  }

  /** The config of a fixture case from the file's metadata ({@code <case>.<key>}). */
  static WaveNetConfig config(Map<String, String> meta, String name) {
    int[] dilations =
        Arrays.stream(meta.get(name + ".dilations").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    String upsampling = meta.get(name + ".upsampling");
    return new WaveNetConfig(
        integer(meta, name, "classes"),
        integer(meta, name, "residual"),
        integer(meta, name, "dilation"),
        integer(meta, name, "skip"),
        integer(meta, name, "kernel"),
        integer(meta, name, "input_kernel"),
        dilations,
        integer(meta, name, "G"),
        integer(meta, name, "E"),
        integer(meta, name, "L"),
        integer(meta, name, "hop"),
        switch (upsampling) {
          case "transposed" -> WaveNetConfig.Upsampling.TRANSPOSED;
          case "repeat" -> WaveNetConfig.Upsampling.REPEAT;
          default -> null;
        });
  }

  private static int integer(Map<String, String> meta, String name, String key) {
    return Integer.parseInt(meta.get(name + "." + key));
  }
}
