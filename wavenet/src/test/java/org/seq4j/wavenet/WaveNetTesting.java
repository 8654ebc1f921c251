package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Map;
import org.seq4j.testing.Tensors;

/** Helpers shared by the WaveNet tests. */
final class WaveNetTesting {
  /** The bound on float64 results against PyTorch's float64 results (stored rounded to F32). */
  static final double FLOAT64_TOLERANCE = 1e-6;

  private WaveNetTesting() {}

  /** Integer ids stored as F32 in a fixture, as INT64 in {@code manager}. */
  static NDArray ids(NDArray stored, NDManager manager) {
    NDArray ids = stored.toType(DataType.INT64, true);
    ids.attach(manager);
    return ids;
  }

  /** Asserts shapes are equal and every element is within {@code tolerance}; reports it. */
  static double assertClose(String what, NDArray actual, NDArray expected, double tolerance) {
    if (expected.size() != 1 || actual.size() != 1) {
      assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    }
    return Tensors.assertWithin(what, actual, expected, tolerance, 52);
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
