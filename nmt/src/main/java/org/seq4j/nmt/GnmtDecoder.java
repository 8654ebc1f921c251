package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seq4j.nn.Attention;
import org.seq4j.nn.ForwardBlock;
import org.seq4j.nn.Lstm;
import org.seq4j.nn.RnnOutput;
import org.seq4j.nn.RnnState;
import org.seq4j.nn.StateDicts;

/**
 * GNMT's decoder (Wu et al. 2016, section 3, figure 1; tensorflow/nmt's GNMT attention cell,
 * NVIDIA's GNMT v2) over embedded target tokens {@code y_t}, without input feeding:
 *
 * <pre>
 *   b_t   = LSTM₁(y_t)                                  the bottom layer reads only the embeddings
 *   q_t   = b_t (gnmt_v2)  or  b_{t−1} (gnmt; b_0 = the initial state, zeros)
 *   a_t, c_t = Attention(q_t, encoder outputs)          weights and context
 *   x²_t  = LSTM₂([b_t; c_t])
 *   xⁱ_t  = LSTMᵢ([xⁱ⁻¹_t; c_t]) + xⁱ⁻¹_t              for i ≥ residualFrom
 * </pre>
 *
 * <p>In training no step loop is needed: the bottom layer runs fused over the whole target, the
 * attention of every step is one batched product, and each upper layer runs fused over {@code
 * [xⁱ⁻¹; c]}. Dropout (training only) falls on each upper layer's {@code xⁱ⁻¹} before the
 * concatenation; the residual adds it undropped (as NVIDIA's GNMT v2). {@link #step} runs one token
 * with the same layers and weights.
 *
 * <p>Parameters: {@code layers.0.*} (the bottom LSTM, input E), {@code attention.*}, {@code
 * layers.i.*} for {@code i ≥ 1} (input 2H), each layer with {@code torch.nn.LSTM}'s names ({@code
 * weight_ih_l0}, ...).
 */
final class GnmtDecoder extends ForwardBlock {
  private final GnmtConfig config;
  private final List<Lstm> layers = new ArrayList<>();
  private final Attention attention;

  GnmtDecoder(GnmtConfig config) {
    this.config = config;
    int h = config.hiddenSize();
    for (int i = 0; i < config.decoderLayers(); i++) {
      int input = i == 0 ? config.embeddingSize() : 2 * h;
      layers.add(
          addChildBlock(
              "layers." + i, Lstm.builder().inputSize(input).hiddenSize(h).layers(1).build()));
    }
    this.attention = addChildBlock("attention", Attention.of(config.attention(), h, h, h));
  }

  void initialize(NDManager manager, DataType type) {
    for (Lstm layer : layers) {
      layer.initialize(manager, type);
    }
    attention.initialize(manager, type);
  }

  /** The attention, whose memory is the encoder's outputs. */
  Attention attention() {
    return attention;
  }

  /**
   * The decoder over a whole target in training or scoring.
   *
   * @param top the top layer's output {@code [B, T, H]}
   * @param weights the attention weights {@code [B, T, S]}
   */
  record Output(NDArray top, NDArray weights) {}

  /** The decoder over embedded targets {@code [B, T, E]} from the zero state. */
  Output forward(NDArray embedded, Attention.Memory memory, boolean training) {
    NDArray bottom = layers.get(0).forward(embedded, null, null, training).output();
    Attention.Output att = attention.forward(query(bottom), memory);
    NDArray x = bottom;
    for (int i = 1; i < layers.size(); i++) {
      NDArray input = NDArrays.concat(new NDList(dropout(x, training), att.context()), -1);
      NDArray y = layers.get(i).forward(input, null, null, training).output();
      x = config.residual(i + 1) ? y.add(x) : y;
    }
    return new Output(x, att.weights());
  }

  /** The attention queries {@code [B, T, H]}: the bottom outputs, or those of the step before. */
  private NDArray query(NDArray bottom) {
    if (config.query() == GnmtConfig.Query.GNMT_V2) {
      return bottom;
    }
    Shape s = bottom.getShape();
    NDArray initial =
        bottom.getManager().zeros(new Shape(s.get(0), 1, s.get(2)), bottom.getDataType());
    if (s.get(1) == 1) {
      return initial;
    }
    return initial.concat(bottom.get(new NDIndex(":, :{}", s.get(1) - 1)), 1);
  }

  /**
   * One decoding step.
   *
   * @param top the top layer's output {@code [B, H]}
   * @param weights the attention weights {@code [B, S]}
   * @param h the new hidden state of every layer {@code [L, B, H]}
   * @param c the new cell state of every layer {@code [L, B, H]}
   */
  record Step(NDArray top, NDArray weights, NDArray h, NDArray c) {}

  /**
   * Runs one token per row.
   *
   * @param embedded the embedded tokens {@code [B, E]}
   * @param h the hidden state of every layer {@code [L, B, H]}
   * @param c the cell state of every layer {@code [L, B, H]}
   */
  Step step(NDArray embedded, Attention.Memory memory, NDArray h, NDArray c) {
    List<NDArray> hs = new ArrayList<>();
    List<NDArray> cs = new ArrayList<>();
    RnnOutput bottom = layers.get(0).forward(embedded.expandDims(1), null, state(h, c, 0), false);
    hs.add(bottom.state().h());
    cs.add(bottom.state().c());
    NDArray query =
        config.query() == GnmtConfig.Query.GNMT_V2
            ? bottom.output()
            : h.get(new NDIndex("0:1")).transpose(1, 0, 2);
    Attention.Output att = attention.forward(query, memory);
    NDArray x = bottom.output();
    for (int i = 1; i < layers.size(); i++) {
      NDArray input = NDArrays.concat(new NDList(x, att.context()), -1);
      RnnOutput out = layers.get(i).forward(input, null, state(h, c, i), false);
      x = config.residual(i + 1) ? out.output().add(x) : out.output();
      hs.add(out.state().h());
      cs.add(out.state().c());
    }
    return new Step(
        x.squeeze(1),
        att.weights().squeeze(1),
        NDArrays.concat(new NDList(hs), 0),
        NDArrays.concat(new NDList(cs), 0));
  }

  private static RnnState state(NDArray h, NDArray c, int layer) {
    NDIndex at = new NDIndex("{}:{}", layer, layer + 1);
    return new RnnState(h.get(at), c.get(at));
  }

  private NDArray dropout(NDArray x, boolean training) {
    if (!training || config.dropout() == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, config.dropout(), true).singletonOrThrow();
  }

  Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    StateDicts.putAll(out, "layers.0.", layers.get(0).stateDict());
    StateDicts.putAll(out, "attention.", attention.stateDict());
    for (int i = 1; i < layers.size(); i++) {
      StateDicts.putAll(out, "layers." + i + ".", layers.get(i).stateDict());
    }
    return out;
  }

  /** DJL entry point. Inputs: embedded targets {@code [B, T, E]}, keys, source lengths. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    int[] lengths = inputs.get(2).toType(DataType.INT32, false).toIntArray();
    Output out = forward(inputs.get(0), attention.memory(inputs.get(1), lengths), training);
    return new NDList(out.top(), out.weights());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape y = inputShapes[0];
    Shape k = inputShapes[1];
    return new Shape[] {
      new Shape(y.get(0), y.get(1), config.hiddenSize()), new Shape(y.get(0), y.get(1), k.get(1))
    };
  }
}
