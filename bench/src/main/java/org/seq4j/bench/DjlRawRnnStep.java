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
 * gates for an LSTM and 3 for a GRU, drawn uniformly from ±1/√H like PyTorch's. The initial state
 * is zeros, made once.
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
   * Creates the weights and the initial state in {@code manager}.
   *
   * @throws IllegalArgumentException for a variable-length workload
   */
  DjlRawRnnStep(RnnWorkload workload, RnnBenchMode mode, NDManager manager) {
    super(workload, mode, manager);
    if (!supports(workload.layout())) {
      throw new IllegalArgumentException(
          IMPL + " has no sequence lengths; it cannot run " + workload.layout().cliName());
    }
    this.lstm = workload.cell().equals("lstm");
    int gates = lstm ? 4 : 3;
    int hidden = workload.hiddenSize();
    float bound = (float) (1 / Math.sqrt(hidden));
    for (int layer = 0; layer < workload.layers(); layer++) {
      int in = layer == 0 ? workload.inputSize() : workload.outputSize();
      for (int dir = 0; dir < workload.directions(); dir++) {
        String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
        add(
            "weight_ih" + suffix,
            manager.randomUniform(-bound, bound, new Shape(gates * hidden, in)));
        add(
            "weight_hh" + suffix,
            manager.randomUniform(-bound, bound, new Shape(gates * hidden, hidden)));
        add("bias_ih" + suffix, manager.randomUniform(-bound, bound, new Shape(gates * hidden)));
        add("bias_hh" + suffix, manager.randomUniform(-bound, bound, new Shape(gates * hidden)));
      }
    }
    Shape state =
        new Shape((long) workload.layers() * workload.directions(), workload.batch(), hidden);
    this.h0 = manager.zeros(state);
    this.c0 = lstm ? manager.zeros(state) : null;
  }

  /** Whether the fused operator can run {@code layout}: only without sequence lengths. */
  static boolean supports(RnnLayout layout) {
    return !layout.variableLengths();
  }

  private void add(String name, NDArray param) {
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
