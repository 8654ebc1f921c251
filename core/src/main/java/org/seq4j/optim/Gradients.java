package org.seq4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and resets the gradients that autograd left on parameters. In libtorch, as in PyTorch,
 * gradients accumulate across backward passes until they are zeroed.
 */
public final class Gradients {
  private Gradients() {}

  /**
   * The gradient of every parameter, by the same names. The handles belong to {@code manager} (a
   * step's manager), so they are freed with it; they share storage with the parameters' gradients,
   * so clipping them in place clips those.
   *
   * @throws IllegalStateException naming a parameter that has no gradient
   */
  public static Map<String, NDArray> of(Map<String, NDArray> params, NDManager manager) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (!e.getValue().hasGradient()) {
        throw new IllegalStateException(
            "parameter '" + e.getKey() + "' does not require a gradient");
      }
      NDArray g = e.getValue().getGradient();
      g.attach(manager);
      grads.put(e.getKey(), g);
    }
    return grads;
  }

  /** Sets every parameter's accumulated gradient to zero (PyTorch's {@code zero_grad}). */
  public static void zero(Map<String, NDArray> params) {
    for (NDArray p : params.values()) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }
}
