package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * One step of an LSTM, with {@code torch.nn.LSTMCell}'s equations, parameter names and layout:
 *
 * <pre>
 * i  = σ(W_ii x + b_ii + W_hi h + b_hi)
 * f  = σ(W_if x + b_if + W_hf h + b_hf)
 * g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
 * o  = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f ⊙ c + i ⊙ g
 * h' = o ⊙ tanh(c')
 * </pre>
 *
 * <p>{@code weight_ih} is {@code [4H, I]} and {@code weight_hh} {@code [4H, H]}, their row blocks
 * in the order i, f, g, o; {@code bias_ih} and {@code bias_hh} are {@code [4H]}. Written in plain
 * array operations for clarity and reference; {@link Lstm} runs whole sequences with libtorch's
 * fused kernel.
 *
 * <pre>{@code
 * LstmCell cell = new LstmCell(32, 64, true);
 * cell.initialize(manager);
 * RnnState state = null;                       // zeros
 * for (NDArray x : steps) {                    // each [B, 32]
 *   state = cell.forward(x, state);            // h, c: [B, 64]
 * }
 * }</pre>
 *
 * @see <a
 *     href="https://pytorch.org/docs/stable/generated/torch.nn.LSTMCell.html">torch.nn.LSTMCell</a>,
 *     whose documented equations these are
 */
public final class LstmCell extends AbstractCell {

  /**
   * @param inputSize the size of each input, I
   * @param hiddenSize the size of the state, H
   * @param bias whether the cell has {@code bias_ih} and {@code bias_hh}
   */
  public LstmCell(int inputSize, int hiddenSize, boolean bias) {
    super(RnnMode.LSTM, inputSize, hiddenSize, bias);
  }

  @Override
  RnnState step(NDArray gi, NDArray gh, RnnState state) {
    NDList gates = gi.add(gh).split(4, 1);
    NDArray i = Activation.sigmoid(gates.get(0));
    NDArray f = Activation.sigmoid(gates.get(1));
    NDArray g = gates.get(2).tanh();
    NDArray o = Activation.sigmoid(gates.get(3));
    NDArray c = f.mul(state.c()).add(i.mul(g));
    NDArray h = o.mul(c.tanh());
    return new RnnState(h, c);
  }
}
