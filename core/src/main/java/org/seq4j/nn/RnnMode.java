package org.seq4j.nn;

/** The recurrence computed by a cell or a sequence layer, as libtorch names it. */
public enum RnnMode {
  /** Elman RNN with tanh: h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
  RNN_TANH(1),
  /** Elman RNN with ReLU. */
  RNN_RELU(1),
  /** LSTM, gates in PyTorch's order i, f, g, o. */
  LSTM(4),
  /** GRU, gates in PyTorch's order r, z, n. */
  GRU(3);

  private final int gates;

  RnnMode(int gates) {
    this.gates = gates;
  }

  /** How many gate blocks of {@code hidden} rows the weight matrices stack. */
  public int gates() {
    return gates;
  }

  /** Whether the state carries a cell vector {@code c} besides {@code h}. */
  public boolean hasCell() {
    return this == LSTM;
  }
}
