package org.seq4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * What a task gives {@link TrainLoop}: its parameters, its data by position, its loss, and its
 * validation metrics. The loop owns everything else (optimizer, clipping, budget, checkpoints).
 *
 * @param <B> a batch in plain Java form (token ids, lengths, ...)
 */
public interface TrainTask<B> {

  /**
   * The trainable parameters by PyTorch name, in a stable order. Each array must have {@code
   * setRequiresGradient(true)}; the loop updates them in place.
   */
  Map<String, NDArray> parameters();

  /** The number of batches in one epoch; constant across epochs. */
  int batchesPerEpoch();

  /**
   * The batch at position {@code index} of epoch {@code epoch}. Must be a pure function of its
   * arguments (and the task's seed), so that a resumed run sees the same data in the same order.
   */
  B batch(long epoch, int index);

  /** Runs the forward pass on one batch and returns the loss to minimize. */
  StepLoss loss(StepContext context, B batch);

  /** Computes validation metrics, such as {@code "loss"} or {@code "bpc"}; may return none. */
  Map<String, Double> validate(NDManager manager);

  /** The loss of one step and the number of tokens (or samples) it covered. */
  record StepLoss(NDArray loss, long tokens) {}
}
