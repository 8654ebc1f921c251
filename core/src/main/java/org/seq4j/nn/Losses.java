package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Loss functions with the semantics of their {@code torch.nn.functional} counterparts, written on
 * plain {@link NDArray} operations so that they are differentiable through DJL's autograd.
 *
 * <p>Results are new arrays in the manager of the first argument; intermediate arrays are released
 * before returning (the autograd graph keeps what the backward pass needs).
 */
public final class Losses {

  private Losses() {}

  /**
   * The summed loss of a batch together with the number of positions it counts, for exact averaging
   * across batches and for tokens-per-second figures.
   *
   * @param sum scalar sum of the per-position losses over the counted positions
   * @param count number of counted (non-ignored) positions
   */
  public record TokenSum(NDArray sum, long count) {

    /**
     * Returns {@code sum / max(count, 1)} as a new scalar array: the mean over counted positions,
     * and 0 when nothing was counted.
     */
    public NDArray mean() {
      return sum.div((float) Math.max(count, 1));
    }
  }

  /**
   * Mean token-level cross-entropy over the positions whose target is not {@code ignoreIndex}.
   *
   * <p>Matches {@code torch.nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1),
   * ignore_index=ignoreIndex, label_smoothing=eps, reduction='mean')}, where the loss of a position
   * with target {@code y} is
   *
   * <pre>
   *   (1 - eps) * (-log p[y]) + eps * mean_v(-log p[v]),   log p = logSoftmax(logits)
   * </pre>
   *
   * <p>If every position is ignored the result is 0, where torch returns NaN.
   *
   * @param logits unnormalized scores {@code [..., V]}, floating point
   * @param targets class ids {@code [...]} (INT32 or INT64), the shape of {@code logits} without
   *     its last dimension; ids other than {@code ignoreIndex} must lie in {@code [0, V)}
   * @param ignoreIndex the target value that marks positions to skip, such as the padding id
   * @param labelSmoothing the smoothing {@code eps}, in {@code [0, 1]}
   * @return a scalar array
   * @throws IllegalArgumentException if the shapes do not match, targets are not integers, or
   *     {@code labelSmoothing} is out of range
   */
  public static NDArray crossEntropy(
      NDArray logits, NDArray targets, int ignoreIndex, float labelSmoothing) {
    NDArray mean;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray[] sumAndCount = crossEntropySumAndCount(logits, targets, ignoreIndex, labelSmoothing);
      mean = sumAndCount[0].div(sumAndCount[1].maximum(1f));
      NDScope.unregister(mean);
    }
    NDScope.register(mean);
    return mean;
  }

  /**
   * Like {@link #crossEntropy}, but returns the sum of the per-position losses over the counted
   * positions and their number. Reading the count synchronizes with the device.
   *
   * @param logits unnormalized scores {@code [..., V]}
   * @param targets class ids {@code [...]} (INT32 or INT64)
   * @param ignoreIndex the target value that marks positions to skip
   * @param labelSmoothing the smoothing {@code eps}, in {@code [0, 1]}
   * @return the summed loss (a new scalar array) and the number of counted positions
   * @throws IllegalArgumentException as {@link #crossEntropy}
   */
  public static TokenSum crossEntropySum(
      NDArray logits, NDArray targets, int ignoreIndex, float labelSmoothing) {
    NDArray sum;
    long count;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray[] sumAndCount = crossEntropySumAndCount(logits, targets, ignoreIndex, labelSmoothing);
      sum = sumAndCount[0];
      count = Math.round(sumAndCount[1].toType(DataType.FLOAT64, false).getDouble());
      NDScope.unregister(sum);
    }
    NDScope.register(sum);
    return new TokenSum(sum, count);
  }

  /** Returns {summed loss, count as a float scalar}; call inside an {@link NDScope}. */
  private static NDArray[] crossEntropySumAndCount(
      NDArray logits, NDArray targets, int ignoreIndex, float labelSmoothing) {
    Shape logitsShape = logits.getShape();
    Shape targetsShape = targets.getShape();
    int rank = logitsShape.dimension();
    if (rank < 1 || !targetsShape.equals(logitsShape.slice(0, rank - 1))) {
      throw new IllegalArgumentException(
          "targets shape "
              + targetsShape
              + " must equal logits shape "
              + logitsShape
              + " without its last dimension");
    }
    if (!targets.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "targets must hold integer class ids, got " + targets.getDataType());
    }
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    NDArray logProbs = logits.logSoftmax(-1);
    NDArray counted = targets.neq(ignoreIndex);
    // Ignored positions gather class 0 instead of ignoreIndex, which may be out of range.
    NDArray index =
        targets
            .toType(DataType.INT64, false)
            .mul(counted.toType(DataType.INT64, false))
            .expandDims(-1);
    NDArray loss = logProbs.gather(index, -1).squeeze(-1).neg();
    if (labelSmoothing > 0) {
      NDArray uniform = logProbs.mean(new int[] {-1}).neg();
      loss = loss.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
    }
    NDArray weight = counted.toType(logits.getDataType(), false);
    return new NDArray[] {loss.mul(weight).sum(), weight.sum()};
  }

  /**
   * Mean squared error, as {@code torch.nn.functional.mse_loss(prediction, target)}.
   *
   * @param prediction the predictions
   * @param target the targets, with the shape of {@code prediction}
   * @return a scalar array
   * @throws IllegalArgumentException if the shapes differ
   */
  public static NDArray mse(NDArray prediction, NDArray target) {
    if (!prediction.getShape().equals(target.getShape())) {
      throw new IllegalArgumentException(
          "prediction shape " + prediction.getShape() + " != target shape " + target.getShape());
    }
    NDArray loss;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      loss = prediction.sub(target).square().mean();
      NDScope.unregister(loss);
    }
    NDScope.register(loss);
    return loss;
  }
}
