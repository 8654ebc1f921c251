package org.seq4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.Collection;

/** Gradient clipping. */
public final class GradClip {

  private GradClip() {}

  /**
   * Scales gradients in place so that their global 2-norm is at most {@code maxNorm}, with the
   * semantics of {@code torch.nn.utils.clip_grad_norm_}: the total norm is the 2-norm of the
   * per-tensor 2-norms, and every gradient is multiplied by {@code min(maxNorm / (total + 1e-6),
   * 1)}, computed in float32 as torch does.
   *
   * <p>Unlike torch, a non-finite total norm leaves the gradients untouched; it is returned so that
   * the caller can skip the step or stop.
   *
   * @param grads the gradients to clip; an empty collection gives a norm of 0
   * @param maxNorm the largest allowed total norm, finite and {@code > 0}
   * @return the total norm before clipping
   * @throws IllegalArgumentException if {@code maxNorm} is not finite and positive
   */
  public static double byGlobalNorm(Collection<NDArray> grads, double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
    }
    float total = totalNorm(grads);
    if (!Float.isFinite(total)) {
      return total;
    }
    // torch: clip_coef = max_norm / (total_norm + 1e-6), a float32 reciprocal times max_norm.
    float coef = (1f / (total + 1e-6f)) * (float) maxNorm;
    if (coef < 1f) {
      for (NDArray g : grads) {
        g.muli(coef);
      }
    }
    return total;
  }

  /**
   * The global 2-norm of {@code grads}: the 2-norm of the per-tensor 2-norms, in float32, as {@code
   * torch.nn.utils.clip_grad_norm_} computes it. Leaves the gradients unchanged.
   *
   * @param grads the gradients
   * @return the norm; 0 for an empty collection; NaN or infinite if a gradient is
   */
  public static double globalNorm(Collection<NDArray> grads) {
    return totalNorm(grads);
  }

  private static float totalNorm(Collection<NDArray> grads) {
    if (grads.isEmpty()) {
      return 0f;
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDList norms = new NDList(grads.size());
      for (NDArray g : grads) {
        norms.add(g.norm());
      }
      return NDArrays.stack(norms).norm().getFloat();
    }
  }
}
