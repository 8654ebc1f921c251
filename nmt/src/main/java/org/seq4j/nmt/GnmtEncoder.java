package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.nn.ForwardBlock;
import org.seq4j.nn.Lstm;
import org.seq4j.nn.StateDicts;

/**
 * GNMT's encoder (Wu et al. 2016, section 3, figure 1) over embedded source tokens: a bidirectional
 * first LSTM layer, unidirectional layers above it, each layer from {@code residualFrom} on adding
 * its input to its output, dropout between layers in training:
 *
 * <pre>
 *   x¹ = [LSTM→(e); LSTM←(e)]                       2H, each direction within its sequence's length
 *   x² = LSTM(x¹)                                   H
 *   xⁱ = LSTM(xⁱ⁻¹) + xⁱ⁻¹                          H, for i ≥ residualFrom
 * </pre>
 *
 * <p>One core {@link Lstm} runs the stack with exact variable lengths. Only the top outputs are
 * needed, not the final states, so {@link Lstm#outputs} runs each layer and direction as one fused
 * call over the padded batch instead of one call per distinct length. Parameters: {@code
 * lstm.weight_ih_l0}, {@code lstm.weight_ih_l0_reverse}, ..., {@code lstm.bias_hh_l<N−1>}.
 */
final class GnmtEncoder extends ForwardBlock {
  private final Lstm lstm;

  GnmtEncoder(GnmtConfig config) {
    int layers = config.encoderLayers();
    lstm =
        addChildBlock(
            "lstm",
            Lstm.builder()
                .inputSize(config.embeddingSize())
                .hiddenSize(config.hiddenSize())
                .layers(layers)
                .bidirectionalFirstLayer()
                .residualFrom(config.residualFrom() <= layers ? config.residualFrom() : 0)
                .dropout(config.dropout())
                .build());
  }

  void initialize(NDManager manager, DataType type) {
    lstm.initialize(manager, type);
  }

  /**
   * The top layer's outputs {@code [B, S, H]}, zero past each length.
   *
   * @param embedded the source embeddings {@code [B, S, E]}
   * @param lengths each row's length in {@code [1, S]}
   */
  NDArray encode(NDArray embedded, int[] lengths, boolean training) {
    return lstm.outputs(embedded, lengths, training);
  }

  Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    StateDicts.putAll(out, "lstm.", lstm.stateDict());
    return out;
  }

  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    int[] lengths = null;
    if (inputs.size() > 1 && !inputs.get(1).isEmpty()) {
      lengths = inputs.get(1).toType(DataType.INT32, false).toIntArray();
    }
    return new NDList(encode(inputs.get(0), lengths, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), x.get(1), lstm.outputSize())};
  }
}
