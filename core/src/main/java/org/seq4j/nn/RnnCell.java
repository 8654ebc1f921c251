package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * One step of an Elman RNN, with {@code torch.nn.RNNCell}'s equation, parameter names and layout:
 *
 * <pre>
 * h' = tanh(W_ih x + b_ih + W_hh h + b_hh)     (or ReLU in place of tanh)
 * </pre>
 *
 * <p>{@code weight_ih} is {@code [H, I]}, {@code weight_hh} {@code [H, H]}, {@code bias_ih} and
 * {@code bias_hh} {@code [H]}. Written in plain array operations for clarity and reference; {@link
 * Rnn} runs whole sequences with libtorch's fused kernel.
 *
 * @see <a
 *     href="https://pytorch.org/docs/stable/generated/torch.nn.RNNCell.html">torch.nn.RNNCell</a>,
 *     whose documented equations these are
 */
public final class RnnCell extends AbstractCell {

  /**
   * @param inputSize the size of each input, I
   * @param hiddenSize the size of the state, H
   * @param bias whether the cell has {@code bias_ih} and {@code bias_hh}
   * @param relu ReLU instead of tanh ({@code nonlinearity='relu'})
   */
  public RnnCell(int inputSize, int hiddenSize, boolean bias, boolean relu) {
    super(relu ? RnnMode.RNN_RELU : RnnMode.RNN_TANH, inputSize, hiddenSize, bias);
  }

  @Override
  RnnState step(NDArray gi, NDArray gh, RnnState state) {
    NDArray pre = gi.add(gh);
    return RnnState.of(mode() == RnnMode.RNN_RELU ? Activation.relu(pre) : pre.tanh());
  }
}
