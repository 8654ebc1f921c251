package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A feed-forward classifier over a fixed window: the one-hot inputs of {@code window} steps
 * (zero-padded past a sequence's end) flattened, one tanh hidden layer, and class logits. Its first
 * layer has one weight per input step and unit, so its size grows with the window. Initialized as
 * PyTorch's {@code nn.Linear}, from libtorch's generator, which the caller seeds.
 */
final class WindowMlp {
  private final int window;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  WindowMlp(NDManager manager, int window, int channels, int hidden, int classes) {
    this.window = window;
    linear(manager, "hidden", window * channels, hidden);
    linear(manager, "output", hidden, classes);
  }

  private void linear(NDManager manager, String name, int in, int out) {
    float bound = (float) (1 / Math.sqrt(in));
    NDArray w = manager.randomUniform(-bound, bound, new Shape(out, in), DataType.FLOAT32);
    NDArray b = manager.randomUniform(-bound, bound, new Shape(out), DataType.FLOAT32);
    w.setRequiresGradient(true);
    b.setRequiresGradient(true);
    params.put(name + ".weight", w);
    params.put(name + ".bias", b);
  }

  /** The longest sequence it can read. */
  int window() {
    return window;
  }

  Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** The number of scalar parameters. */
  long size() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /** {@code x [B, window, C]} (zero-padded) to logits {@code [B, classes]}. */
  NDArray forward(NDArray x) {
    if (x.getShape().get(1) != window) {
      throw new IllegalArgumentException(
          "the MLP reads exactly " + window + " steps, got " + x.getShape().get(1));
    }
    NDArray flat = x.reshape(x.getShape().get(0), -1);
    NDArray h =
        flat.getNDArrayInternal()
            .linear(flat, params.get("hidden.weight"), params.get("hidden.bias"))
            .singletonOrThrow()
            .tanh();
    return h.getNDArrayInternal()
        .linear(h, params.get("output.weight"), params.get("output.bias"))
        .singletonOrThrow();
  }
}
