package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
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
  /** The most gate activations one fused call may produce; see {@link #fusedCall}. */
  static final long CHUNK_BYTES = 3L << 20;

  private static final long MIN_CHUNK = 4;

  /** Single steps of fewer rows than this run as cell equations; see {@link #oneStep}. */
  static final long ONE_STEP_MAX_ROWS = 64;

  private Lstm(Builder b) {
    super(RnnMode.LSTM, b);
  }

  /** Starts an LSTM description. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs libtorch's LSTM. oneDNN's training kernel in libtorch 2.7.1 slows down several-fold once
   * one call's gate activations ({@code steps x B x 4H} floats) outgrow the cache, so a long call
   * through it is cut into chunks of time that carry (h, c), each under {@link #CHUNK_BYTES}; a
   * bidirectional call runs each direction on its own so that both can be chunked (the reverse
   * direction reads the time-reversed input). The result is the same computation.
   */
  @Override
  protected NDList fusedCall(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training,
      boolean bidirectional) {
    if (!bidirectional) {
      return unidirectional(input, state, weights, layerCount, dropout, training);
    }
    int perDirection = hasBias() ? 4 : 2;
    NDArray x = input;
    NDList hs = new NDList();
    NDList cs = new NDList();
    for (int l = 0; l < layerCount; l++) {
      NDList outputs = new NDList();
      for (int d = 0; d < 2; d++) {
        int slice = 2 * l + d;
        NDList w = new NDList(weights.subList(slice * perDirection, (slice + 1) * perDirection));
        NDIndex at = new NDIndex("{}:{}", slice, slice + 1);
        RnnState s = new RnnState(state.h().get(at), state.c().get(at));
        NDList out = unidirectional(d == 1 ? x.flip(1) : x, s, w, 1, 0, training);
        outputs.add(d == 1 ? out.get(0).flip(1) : out.get(0));
        hs.add(out.get(1));
        cs.add(out.get(2));
      }
      x = NDArrays.concat(outputs, -1);
      if (training && dropout > 0 && l < layerCount - 1) {
        x = x.getNDArrayInternal().dropout(x, (float) dropout, true).singletonOrThrow();
      }
    }
    return new NDList(x, NDArrays.concat(hs, 0), NDArrays.concat(cs, 0));
  }

  /**
   * A unidirectional call. With gradients on it is cut into chunks (see {@link #inChunks}). With
   * gradients off, libtorch takes its inference kernel, which keeps no activations and needs no
   * chunks, but libtorch 2.7.1's oneDNN LSTM inference kernel returns wrong float32 results on
   * AVX-512 CPUs for some hidden sizes (see {@link LstmInferenceKernel}); for those shapes the call
   * runs the kernel of grad mode instead, chunked, on weights detached once so that no graph is
   * recorded.
   */
  private NDList unidirectional(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training) {
    if (input.getShape().get(1) == 1
        && input.getShape().get(0) < ONE_STEP_MAX_ROWS
        && (dropout == 0 || layerCount == 1)) {
      return oneStep(input, state, weights, layerCount);
    }
    if (JniUtils.isGradMode()) {
      return inChunks(input, state, weights, layerCount, dropout, training);
    }
    if (inferenceKernelTrusted(input, layerCount)) {
      return lstm(input, state, weights, layerCount, dropout, training);
    }
    NDList detached = new NDList(weights.size());
    for (NDArray w : weights) {
      detached.add(w.stopGradient());
    }
    JniUtils.setGradMode(true);
    try {
      return inChunks(input, state, detached, layerCount, dropout, training);
    } finally {
      JniUtils.setGradMode(false);
      detached.close();
    }
  }

  /**
   * A single time step of fewer than {@link #ONE_STEP_MAX_ROWS} rows through the cell's equations
   * ({@link LstmCell}) on the layers' weights, for step-by-step decoding. libtorch's fused kernel
   * prepares (reorders) its weights on every call, a cost that does not shrink with the batch; in
   * GNMT's greedy decoding of 32 sentences (layers of 256) the cell's two matrix products and a
   * dozen element-wise operations took 20% less time per translation, at 64 rows both were even,
   * and at 96 or 160 rows the fused kernel was faster. Same equations, so the same results up to
   * rounding.
   */
  private NDList oneStep(NDArray input, RnnState state, NDList weights, int layerCount) {
    int perLayer = hasBias() ? 4 : 2;
    NDArray x = input.squeeze(1);
    NDList hs = new NDList();
    NDList cs = new NDList();
    for (int l = 0; l < layerCount; l++) {
      NDIndex at = new NDIndex("{}", l);
      NDArray h = state.h().get(at);
      NDArray c = state.c().get(at);
      int w = l * perLayer;
      NDArray gates =
          Linear.linear(x, weights.get(w), hasBias() ? weights.get(w + 2) : null)
              .singletonOrThrow()
              .add(
                  Linear.linear(h, weights.get(w + 1), hasBias() ? weights.get(w + 3) : null)
                      .singletonOrThrow());
      NDList g = gates.split(4, 1);
      c =
          Activation.sigmoid(g.get(1))
              .mul(c)
              .add(Activation.sigmoid(g.get(0)).mul(g.get(2).tanh()));
      h = Activation.sigmoid(g.get(3)).mul(c.tanh());
      hs.add(h.expandDims(0));
      cs.add(c.expandDims(0));
      x = h;
    }
    return new NDList(
        x.expandDims(1),
        hs.size() == 1 ? hs.get(0) : NDArrays.concat(hs, 0),
        cs.size() == 1 ? cs.get(0) : NDArrays.concat(cs, 0));
  }

  /** The fused call cut into cache-sized chunks of time that carry (h, c). */
  private NDList inChunks(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training) {
    long batch = input.getShape().get(0);
    long steps = input.getShape().get(1);
    long chunk = Math.max(MIN_CHUNK, CHUNK_BYTES / (batch * 4L * hiddenSize() * Float.BYTES));
    if (steps <= chunk) {
      return lstm(input, state, weights, layerCount, dropout, training);
    }
    NDList outputs = new NDList();
    RnnState carried = state;
    for (long start = 0; start < steps; start += chunk) {
      NDArray part = input.get(new NDIndex(":, {}:{}", start, Math.min(steps, start + chunk)));
      NDList out = lstm(part, carried, weights, layerCount, dropout, training);
      outputs.add(out.get(0));
      carried = new RnnState(out.get(1), out.get(2));
    }
    return new NDList(NDArrays.concat(outputs, 1), carried.h(), carried.c());
  }

  /** Whether libtorch's inference kernel is right for this call's shape. */
  private boolean inferenceKernelTrusted(NDArray input, int layerCount) {
    return LstmInferenceKernel.trusted(
        input.getManager(),
        input.getDataType(),
        input.getShape().get(2),
        hiddenSize(),
        layerCount,
        hasBias());
  }

  private NDList lstm(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training) {
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
            false,
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
