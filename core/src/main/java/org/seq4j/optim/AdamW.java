package org.seq4j.optim;

import ai.djl.ndarray.NDManager;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), following {@code
 * torch.optim.AdamW}: before the Adam update, {@code param *= 1 - lr * weightDecay}; the gradient
 * itself is not decayed. Otherwise identical to {@link Adam}, including its state slots.
 */
public final class AdamW extends Adam {

  /**
   * Creates AdamW with torch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
   *
   * @param parent the manager under which the optimizer's state lives
   * @param learningRate the learning rate
   */
  public AdamW(NDManager parent, double learningRate) {
    this(parent, learningRate, 0.9, 0.999, 1e-8, 0.01);
  }

  /**
   * Creates AdamW.
   *
   * @param parent the manager under which the optimizer's state lives
   * @param learningRate the learning rate, {@code >= 0}
   * @param beta1 decay of the first moment, in {@code [0, 1)}
   * @param beta2 decay of the second moment, in {@code [0, 1)}
   * @param eps term added to the denominator, {@code >= 0}
   * @param weightDecay the decoupled weight decay, {@code >= 0}
   * @throws IllegalArgumentException if an argument is out of range
   */
  public AdamW(
      NDManager parent,
      double learningRate,
      double beta1,
      double beta2,
      double eps,
      double weightDecay) {
    super(parent, learningRate, beta1, beta2, eps, weightDecay, true);
  }

  @Override
  public String kind() {
    return "adamw";
  }
}
