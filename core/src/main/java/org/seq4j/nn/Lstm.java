package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A stack of LSTM layers over libtorch's fused kernel, with {@code torch.nn.LSTM}'s equations
 * (gates i, f, g, o), parameter names and layouts. See {@link RecurrentLayer}.
 *
 * <pre>{@code
 * Lstm lstm = Lstm.builder().inputSize(256).hiddenSize(512).layers(4)
 *     .bidirectionalFirstLayer().residualFrom(3).dropout(0.2f).build();
 * lstm.initialize(manager);
 * RnnOutput out = lstm.forward(x, lengths, null, true);
 * }</pre>
 */
public final class Lstm extends RecurrentLayer {

  private Lstm(Builder b) {
    super(RnnMode.LSTM, b);
  }

  /** Starts an LSTM description. */
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
    if (JniUtils.isGradMode()) {
      return lstm(input, state, weights, layerCount, dropout, training, bidirectional);
    }
    // libtorch 2.7.1's oneDNN LSTM inference kernel returns wrong float32 results on AVX-512 CPUs
    // (PyTorch 2.13 is correct; the training kernel and float64 are correct). Run the kernel of
    // grad mode instead, on detached weights so that no graph is recorded.
    NDList detached = new NDList(weights.size());
    for (NDArray w : weights) {
      detached.add(w.stopGradient());
    }
    JniUtils.setGradMode(true);
    try {
      return lstm(input, state, detached, layerCount, dropout, training, bidirectional);
    } finally {
      JniUtils.setGradMode(false);
      detached.close();
    }
  }

  private NDList lstm(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training,
      boolean bidirectional) {
    return input
        .getNDArrayInternal()
        .lstm(
            input,
            new NDList(state.h(), state.c()),
            weights,
            hasBias(),
            layerCount,
            dropout,
            training,
            bidirectional,
            true);
  }

  /** Describes an {@link Lstm}. */
  public static final class Builder extends RecurrentLayer.Builder<Builder> {
    private Builder() {}

    public Lstm build() {
      return new Lstm(this);
    }
  }
}
