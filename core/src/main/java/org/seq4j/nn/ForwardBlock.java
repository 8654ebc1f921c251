package org.seq4j.nn;

import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A DJL block whose forward pass depends only on its inputs and on whether it trains: the blocks of
 * seq4j hold their parameters themselves, so they need neither DJL's parameter store nor extra
 * parameters. Subclasses implement {@link #forwardInputs(NDList, boolean)}.
 */
public abstract class ForwardBlock extends AbstractBlock {
  /** A block with no parameters yet. */
  protected ForwardBlock() {}

  /**
   * DJL entry point: hands the inputs and the training flag to {@link #forwardInputs(NDList,
   * boolean)}.
   */
  @Override
  protected final NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return forwardInputs(inputs, training);
  }

  /**
   * The forward pass of the DJL entry point.
   *
   * @param inputs the inputs, as the subclass documents them
   * @param training whether this is a training pass (dropout and the like)
   * @return the outputs
   */
  protected abstract NDList forwardInputs(NDList inputs, boolean training);
}
