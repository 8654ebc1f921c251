package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * Boolean masks for padded sequence batches, built from plain {@link NDArray} operations (DJL's
 * {@code sequenceMask} is not implemented on the PyTorch engine).
 */
public final class Masks {

  private Masks() {}

  /**
   * Returns a boolean {@code [B, maxLen]} mask that is true where {@code t < lengths[b]}.
   *
   * @param lengths the sequence lengths, a 1-D integer array of size {@code B}
   * @param maxLen the number of time steps, {@code >= 0}
   * @return a new boolean array in the manager of {@code lengths}
   * @throws IllegalArgumentException if {@code lengths} is not 1-D or {@code maxLen} is out of
   *     range
   */
  public static NDArray lengthMask(NDArray lengths, long maxLen) {
    if (lengths.getShape().dimension() != 1) {
      throw new IllegalArgumentException("lengths must be 1-D, got shape " + lengths.getShape());
    }
    if (maxLen < 0 || maxLen > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxLen must be in [0, 2^31), got " + maxLen);
    }
    NDArray mask;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray positions =
          lengths.getManager().arange(0, (int) maxLen, 1, DataType.INT64).expandDims(0);
      mask = positions.lt(lengths.toType(DataType.INT64, false).expandDims(1));
      NDScope.unregister(mask);
    }
    NDScope.register(mask);
    return mask;
  }

  /**
   * Returns a boolean mask, true where {@code targets != value}; for example the non-padding
   * positions of a target batch.
   *
   * @param targets an integer array
   * @param value the value to mask out, such as the padding id
   * @return a new boolean array with the shape of {@code targets}
   */
  public static NDArray notEqual(NDArray targets, long value) {
    return targets.neq(value);
  }
}
