package org.seq4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * A recurrent state. For a sequence layer, {@code h} (and {@code c} for an LSTM) is {@code [S, B,
 * H]} with one slice per (layer, direction), in PyTorch's order: layer 0 forward, layer 0 reverse
 * (if bidirectional), layer 1 forward, …. For a cell it is {@code [B, H]}.
 *
 * @param h the hidden state
 * @param c the cell state of an LSTM, else null
 */
public record RnnState(NDArray h, NDArray c) {
  /** A state without a cell vector (RNN, GRU). */
  public static RnnState of(NDArray h) {
    return new RnnState(h, null);
  }
}
