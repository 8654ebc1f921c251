package org.seq4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recurrent benchmark on DJL's fused operator, called directly: {@code NDArrayEx#lstm}/{@code
 * #gru}, which run libtorch's {@code at::lstm}/{@code at::gru} over the whole padded batch in one
 * call. It has no notion of sequence lengths, so it serves the fixed-length layouts only; it is the
 * ceiling a layer built on the same operator can reach.
 *
 * <p>The weights are laid out as libtorch expects them: per layer and direction (forward first),
 * {@code w_ih [G·H, in]}, {@code w_hh [G·H, H]}, {@code b_ih [G·H]}, {@code b_hh [G·H]}, with G = 4
 * gates for an LSTM and 3 for a GRU, drawn uniformly from ±1/√H like PyTorch's or copied from a
 * state dict. The initial state is zeros, made once.
 *
 * <p>With gradients off, libtorch runs its inference kernel (for an LSTM, oneDNN's), whatever it
 * computes; {@link JavaRnnStep#checkAgreesWith} compares it with seq4j before timing.
 */
final class DjlRawRnnStep extends JavaRnnStep {
  /** The implementation name of this step's rows. */
  static final String IMPL = "djl-raw";

  private final boolean lstm;
  private final NDList params = new NDList();
  private final Map<String, NDArray> named = new LinkedHashMap<>();
  private final NDArray h0;
  private final NDArray c0;

  /**
   * Creates the weights (a copy of {@code weights}, a state dict with PyTorch's names such as
   * {@code weight_ih_l0}, where given; else random) and the initial state in {@code manager}.
   *
   * @throws IllegalArgumentException for a variable-length workload, or if {@code weights} lacks a
   *     tensor or has one of another shape
   */
  DjlRawRnnStep(
      RnnWorkload workload, RnnBenchMode mode, NDManager manager, Map<String, NDArray> weights) {
    super(workload, mode, manager);
    if (!supports(workload.layout())) {
      throw new IllegalArgumentException(
          IMPL + " has no sequence lengths; it cannot run " + workload.layout().cliName());
    }
    this.lstm = workload.cell().equals("lstm");
    int rows = (lstm ? 4 : 3) * workload.hiddenSize();
    for (int layer = 0; layer < workload.layers(); layer++) {
      int in = layer == 0 ? workload.inputSize() : workload.outputSize();
      for (int dir = 0; dir < workload.directions(); dir++) {
        String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
        add("weight_ih" + suffix, new Shape(rows, in), manager, weights);
        add("weight_hh" + suffix, new Shape(rows, workload.hiddenSize()), manager, weights);
        add("bias_ih" + suffix, new Shape(rows), manager, weights);
        add("bias_hh" + suffix, new Shape(rows), manager, weights);
      }
    }
    Shape state =
        new Shape(
            (long) workload.layers() * workload.directions(),
            workload.batch(),
            workload.hiddenSize());
    this.h0 = manager.zeros(state);
    this.c0 = lstm ? manager.zeros(state) : null;
  }

  /** Whether the fused operator can run {@code layout}: only without sequence lengths. */
  static boolean supports(RnnLayout layout) {
    return !layout.variableLengths();
  }

  /**
   * Adds a parameter that requires a gradient: a copy of {@code weights.get(name)} where {@code
   * weights} is given, else drawn uniformly from ±1/√H.
   */
  private void add(String name, Shape shape, NDManager manager, Map<String, NDArray> weights) {
    NDArray param;
    if (weights == null) {
      float bound = (float) (1 / Math.sqrt(workload().hiddenSize()));
      param = manager.randomUniform(-bound, bound, shape);
    } else {
      NDArray source = weights.get(name);
      if (source == null || !source.getShape().equals(shape)) {
        throw new IllegalArgumentException(
            "cannot copy weights: "
                + name
                + (source == null ? " is missing" : " has shape " + source.getShape()));
      }
      try (NDArray detached = source.stopGradient()) {
        param = detached.duplicate();
      }
      param.attach(manager);
    }
    param.setRequiresGradient(true);
    params.add(param);
    named.put(name, param);
  }

  @Override
  String impl() {
    return IMPL;
  }

  @Override
  NDArray forward(NDArray input, boolean training) {
    RnnWorkload w = workload();
    boolean bidirectional = w.layout().bidirectional();
    NDList out =
        lstm
            ? input
                .getNDArrayInternal()
                .lstm(
                    input,
                    new NDList(h0, c0),
                    params,
                    true,
                    w.layers(),
                    0.0,
                    training,
                    bidirectional,
                    true)
            : input
                .getNDArrayInternal()
                .gru(input, h0, params, true, w.layers(), 0.0, training, bidirectional, true);
    return out.get(0);
  }

  @Override
  Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(named);
  }
}
