package org.seq4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.seq4j.nn.Gru;
import org.seq4j.nn.Lstm;
import org.seq4j.nn.RecurrentLayer;

/**
 * The recurrent benchmark on seq4j's layers, {@link Lstm} and {@link Gru}, as a user calls them:
 * {@code forward(x, lengths, null, training)} with the batch's lengths for variable-length batches
 * and a zero initial state.
 */
final class Seq4jRnnStep extends JavaRnnStep {
  /** The implementation name of this step's rows. */
  static final String IMPL = "seq4j";

  private final RecurrentLayer layer;
  private final int[] lengths;
  private final Map<String, NDArray> parameters;

  /** Builds and initializes the layer in {@code manager}. */
  Seq4jRnnStep(RnnWorkload workload, RnnBenchMode mode, NDManager manager) {
    super(workload, mode, manager);
    this.layer = build(workload);
    layer.initialize(manager);
    this.lengths = workload.lengths();
    this.parameters = layer.stateDict();
  }

  private static RecurrentLayer build(RnnWorkload w) {
    boolean bidirectional = w.layout().bidirectional();
    if (w.cell().equals("lstm")) {
      var builder =
          Lstm.builder()
              .inputSize(w.inputSize())
              .hiddenSize(w.hiddenSize())
              .layers(w.layers())
              .bias(true);
      return (bidirectional ? builder.bidirectional() : builder).build();
    }
    var builder =
        Gru.builder()
            .inputSize(w.inputSize())
            .hiddenSize(w.hiddenSize())
            .layers(w.layers())
            .bias(true);
    return (bidirectional ? builder.bidirectional() : builder).build();
  }

  @Override
  String impl() {
    return IMPL;
  }

  @Override
  NDArray forward(NDArray input, boolean training) {
    return layer.forward(input, lengths, null, training).output();
  }

  @Override
  Map<String, NDArray> parameters() {
    return parameters;
  }
}
