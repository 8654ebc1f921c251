package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * One step of a GRU, with {@code torch.nn.GRUCell}'s equations, parameter names and layout:
 *
 * <pre>
 * r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * <p>The last line is computed as {@code h' = (h − n) ⊙ z + n}, the same value written the way
 * ATen's CPU cell writes it, so that results and gradients round exactly as PyTorch's do.
 *
 * <p>{@code weight_ih} is {@code [3H, I]} and {@code weight_hh} {@code [3H, H]}, their row blocks
 * in the order r, z, n; {@code bias_ih} and {@code bias_hh} are {@code [3H]}. Note that the reset
 * gate multiplies {@code W_hn h + b_hn}, bias included, as in PyTorch (and cuDNN), not {@code h}.
 * Written in plain array operations for clarity and reference; {@link Gru} runs whole sequences
 * with libtorch's fused kernel.
 *
 * @see <a
 *     href="https://pytorch.org/docs/stable/generated/torch.nn.GRUCell.html">torch.nn.GRUCell</a>,
 *     whose documented equations these are
 */
public final class GruCell extends AbstractCell {

  /**
   * @param inputSize the size of each input, I
   * @param hiddenSize the size of the state, H
   * @param bias whether the cell has {@code bias_ih} and {@code bias_hh}
   */
  public GruCell(int inputSize, int hiddenSize, boolean bias) {
    super(RnnMode.GRU, inputSize, hiddenSize, bias);
  }

  @Override
  RnnState step(NDArray gi, NDArray gh, RnnState state) {
    NDList in = gi.split(3, 1);
    NDList hid = gh.split(3, 1);
    NDArray r = Activation.sigmoid(in.get(0).add(hid.get(0)));
    NDArray z = Activation.sigmoid(in.get(1).add(hid.get(1)));
    NDArray n = in.get(2).add(r.mul(hid.get(2))).tanh();
    NDArray h = state.h().sub(n).mul(z).add(n); // (1 − z) ⊙ n + z ⊙ h
    return RnnState.of(h);
  }
}
