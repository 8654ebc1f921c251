package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * Loss functions with the semantics of their {@code torch.nn.functional} counterparts, written on
 * plain {@link NDArray} operations so that they are differentiable through DJL's autograd.
 *
 * <p>Results are new arrays in the manager of the first argument; intermediate arrays are released
 * before returning (the autograd graph keeps what the backward pass needs).
 */
public final class Losses {

  /** The largest block of logits that {@link #linearCrossEntropy} forms at once, in bytes. */
  static final long LOGIT_CHUNK_BYTES = 4L << 20;

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

  /**
   * The mean label-smoothed cross-entropy of the logits {@code hidden Wᵀ + bias} over the positions
   * whose target is not {@code ignoreIndex}: the same value as {@link #crossEntropy} of {@code
   * Linear.linear(hidden, weight, bias)}, computed without forming those logits.
   *
   * <p>Only the counted positions are projected, a block of rows at a time whose logits take at
   * most {@link #LOGIT_CHUNK_BYTES}: a {@code [B, T, V]} logit tensor and its gradients run to
   * hundreds of megabytes for a vocabulary of thousands, and each such tensor costs fresh pages
   * from the system on every step, while blocks of a few megabytes stay in the cache and in the
   * allocator. The summation order differs from {@link #crossEntropy}'s, so results agree to
   * rounding.
   *
   * @param hidden the inputs of the projection {@code [..., H]}
   * @param weight the projection {@code [V, H]}, as {@code nn.Linear}'s
   * @param bias the bias {@code [V]}, or null
   * @param targets class ids {@code [...]} (INT32 or INT64), the shape of {@code hidden} without
   *     its last dimension; ids other than {@code ignoreIndex} must lie in {@code [0, V)}
   * @param ignoreIndex the target value that marks positions to skip, such as the padding id
   * @param labelSmoothing the smoothing {@code eps}, in {@code [0, 1]}
   * @return a scalar array; 0 if every position is ignored
   * @throws IllegalArgumentException if the shapes do not match, targets are not integers or out of
   *     range, or {@code labelSmoothing} is out of range
   */
  public static NDArray linearCrossEntropy(
      NDArray hidden,
      NDArray weight,
      NDArray bias,
      NDArray targets,
      int ignoreIndex,
      float labelSmoothing) {
    NDArray mean;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      TokenSum sum = linearSum(hidden, weight, bias, targets, ignoreIndex, labelSmoothing);
      mean = sum.sum().div((float) Math.max(sum.count(), 1));
      NDScope.unregister(mean);
    }
    NDScope.register(mean);
    return mean;
  }

  /**
   * Like {@link #linearCrossEntropy}, but returns the sum of the per-position losses over the
   * counted positions and their number.
   *
   * @throws IllegalArgumentException as {@link #linearCrossEntropy}
   */
  public static TokenSum linearCrossEntropySum(
      NDArray hidden,
      NDArray weight,
      NDArray bias,
      NDArray targets,
      int ignoreIndex,
      float labelSmoothing) {
    TokenSum sum;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      sum = linearSum(hidden, weight, bias, targets, ignoreIndex, labelSmoothing);
      NDScope.unregister(sum.sum());
    }
    NDScope.register(sum.sum());
    return sum;
  }

  /** The summed loss and count of {@link #linearCrossEntropy}; call inside an {@link NDScope}. */
  private static TokenSum linearSum(
      NDArray hidden,
      NDArray weight,
      NDArray bias,
      NDArray targets,
      int ignoreIndex,
      float labelSmoothing) {
    Shape hiddenShape = hidden.getShape();
    int rank = hiddenShape.dimension();
    if (rank < 1 || !targets.getShape().equals(hiddenShape.slice(0, rank - 1))) {
      throw new IllegalArgumentException(
          "targets shape "
              + targets.getShape()
              + " must equal hidden shape "
              + hiddenShape
              + " without its last dimension");
    }
    long size = hiddenShape.get(rank - 1);
    Shape w = weight.getShape();
    if (w.dimension() != 2 || w.get(1) != size) {
      throw new IllegalArgumentException(
          "weight must be [V, " + size + "] for hidden " + hiddenShape + ", got " + w);
    }
    long classes = w.get(0);
    if (bias != null && !bias.getShape().equals(new Shape(classes))) {
      throw new IllegalArgumentException("bias must be [" + classes + "], got " + bias.getShape());
    }
    if (!targets.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "targets must hold integer class ids, got " + targets.getDataType());
    }
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    long[] ids = targets.toType(DataType.INT64, false).toLongArray();
    int counted = 0;
    for (long id : ids) {
      if (id != ignoreIndex) {
        if (id < 0 || id >= classes) {
          throw new IllegalArgumentException(
              "target id " + id + " is outside [0, " + classes + ")");
        }
        counted++;
      }
    }
    NDManager m = hidden.getManager();
    if (counted == 0) {
      return new TokenSum(hidden.sum().mul(0f).abs(), 0); // +0, with a zero gradient
    }
    long[] rows = new long[counted];
    long[] labels = new long[counted];
    for (int i = 0, j = 0; i < ids.length; i++) {
      if (ids[i] != ignoreIndex) {
        rows[j] = i;
        labels[j++] = ids[i];
      }
    }
    NDArray flat = hidden.reshape(-1, size);
    NDArray selected = counted == ids.length ? flat : flat.get(new NDIndex("{}", m.create(rows)));
    NDArray y = m.create(labels, new Shape(counted, 1));
    long chunk = Math.max(1, LOGIT_CHUNK_BYTES / (classes * hidden.getDataType().getNumOfBytes()));
    NDArray sum = null;
    for (long start = 0; start < counted; start += chunk) {
      long end = Math.min(counted, start + chunk);
      boolean whole = start == 0 && end == counted;
      NDIndex at = new NDIndex("{}:{}", start, end);
      NDArray logits =
          Linear.linear(whole ? selected : selected.get(at), weight, bias).singletonOrThrow();
      NDArray logProbs = logits.logSoftmax(-1);
      NDArray loss = logProbs.gather(whole ? y : y.get(at), -1).sum().neg();
      if (labelSmoothing > 0) {
        NDArray uniform = logProbs.mean(new int[] {-1}).sum().neg();
        loss = loss.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
      }
      sum = sum == null ? loss : sum.add(loss);
    }
    return new TokenSum(sum, counted);
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
