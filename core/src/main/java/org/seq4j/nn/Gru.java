package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A stack of GRU layers over libtorch's fused kernel, with {@code torch.nn.GRU}'s equations (gates
 * r, z, n), parameter names and layouts. See {@link RecurrentLayer}.
 */
public final class Gru extends RecurrentLayer {

  private Gru(Builder b) {
    super(RnnMode.GRU, b);
  }

  /** Starts a GRU description. */
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
        .gru(
            input,
            state.h(),
            weights,
            hasBias(),
            layerCount,
            dropout,
            training,
            bidirectional,
            true);
  }

  /** Describes a {@link Gru}. */
  public static final class Builder extends RecurrentLayer.Builder<Builder> {
    private Builder() {}

    public Gru build() {
      return new Gru(this);
    }
  }
}
