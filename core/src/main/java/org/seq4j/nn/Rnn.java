package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.recurrent.RNN;

/**
 * A stack of Elman RNN layers (tanh, or ReLU) over libtorch's fused kernel, with {@code
 * torch.nn.RNN}'s equations, parameter names and layouts. See {@link RecurrentLayer}.
 */
public final class Rnn extends RecurrentLayer {
  private final boolean relu;

  private Rnn(Builder b) {
    super(b.relu ? RnnMode.RNN_RELU : RnnMode.RNN_TANH, b);
    this.relu = b.relu;
  }

  /** Starts an RNN description (tanh unless {@link Builder#relu()}). */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected NDList fusedCall(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training,
      boolean bidirectional) {
    return input
        .getNDArrayInternal()
        .rnn(
            input,
            state.h(),
            weights,
            hasBias(),
            layerCount,
            relu ? RNN.Activation.RELU : RNN.Activation.TANH,
            dropout,
            training,
            bidirectional,
            true);
  }

  /** Describes an {@link Rnn}. */
  public static final class Builder extends RecurrentLayer.Builder<Builder> {
    private boolean relu;

    private Builder() {}

    /** Use ReLU instead of tanh. */
    public Builder relu() {
      this.relu = true;
      return this;
    }

    public Rnn build() {
      return new Rnn(this);
    }
  }
}
