package org.seq4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtBatch;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nn.Attention;
import org.seq4j.nn.Losses;
import org.seq4j.nn.LstmCell;
import org.seq4j.nn.RnnState;

/**
 * The GNMT of {@link Gnmt} trained the way one writes it without a fused decoder: the encoder runs
 * through {@link Gnmt#encode} (fused, exact lengths), and the decoder runs one target step at a
 * time with gradients, through {@link LstmCell} and {@link Attention#step}:
 *
 * <pre>
 *   p         = W_ih y + b_ih for every step at once (cell₀'s input projections)
 *   for t in 0 .. T-1:
 *     b_t       = cell₀(p_t, b_{t-1})
 *     a_t, c_t  = attention.step(b_t (gnmt_v2) or b_{t-1} (gnmt), memory)
 *     x         = b_t;  for i ≥ 1: x = cellᵢ([dropout(x); c_t]) (+ x from residualFrom)
 *     top_t     = x
 *   loss = label-smoothed cross-entropy of stack(top) Wᵀ + bias, PAD ignored
 *          ({@link Losses#linearCrossEntropy}, as {@link Gnmt#loss})
 * </pre>
 *
 * <p>Same equations, weights and dropout placement as {@link Gnmt#loss}, so with dropout off the
 * two give the same loss and gradients. The decoder's weights are copies of the model's, held by
 * the cells and the attention; {@link #parameters} lists every trained array under {@link
 * Gnmt#stateDict}'s names.
 */
final class StepwiseGnmt {
  private final GnmtConfig config;
  private final Gnmt model;
  private final List<LstmCell> cells = new ArrayList<>();
  private final Attention attention;
  private final Map<String, NDArray> parameters;

  /** Copies {@code weights} (a {@link Gnmt#stateDict}) into a new model in {@code manager}. */
  StepwiseGnmt(GnmtConfig config, Map<String, NDArray> weights, NDManager manager) {
    this.config = config;
    DataType type = weights.values().iterator().next().getDataType();
    model = new Gnmt(config);
    model.initialize(manager, type);
    model.loadStateDict(weights);
    int h = config.hiddenSize();
    for (int i = 0; i < config.decoderLayers(); i++) {
      LstmCell cell = new LstmCell(i == 0 ? config.embeddingSize() : 2 * h, h, true);
      cell.initialize(manager, type);
      Map<String, NDArray> own = new LinkedHashMap<>();
      for (String name : cell.stateDict().keySet()) {
        own.put(name, weights.get(cellName(i, name)));
      }
      cell.loadStateDict(own);
      cells.add(cell);
    }
    attention = Attention.of(config.attention(), h, h, h);
    attention.initialize(manager, type);
    Map<String, NDArray> own = new LinkedHashMap<>();
    for (String name : attention.stateDict().keySet()) {
      own.put(name, weights.get("decoder.attention." + name));
    }
    attention.loadStateDict(own);

    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.stateDict().entrySet()) {
      params.put(
          e.getKey(), e.getKey().startsWith("decoder.") ? decoderArray(e.getKey()) : e.getValue());
    }
    parameters = Collections.unmodifiableMap(params);
  }

  /** {@code decoder.layers.<i>.weight_ih_l0} for the cell's {@code weight_ih}, and so on. */
  private static String cellName(int layer, String cellParameter) {
    return "decoder.layers." + layer + "." + cellParameter + "_l0";
  }

  private NDArray decoderArray(String name) {
    String attentionPrefix = "decoder.attention.";
    if (name.startsWith(attentionPrefix)) {
      return attention.stateDict().get(name.substring(attentionPrefix.length()));
    }
    String rest = name.substring("decoder.layers.".length());
    int layer = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
    String cellParameter = rest.substring(rest.indexOf('.') + 1).replace("_l0", "");
    return cells.get(layer).stateDict().get(cellParameter);
  }

  /** Every trained array, by {@link Gnmt#stateDict}'s names. */
  Map<String, NDArray> parameters() {
    return parameters;
  }

  /**
   * The mean label-smoothed cross-entropy of {@code batch} over its non-PAD target positions, as
   * {@link Gnmt#loss}, with the decoder run step by step.
   */
  NDArray loss(GnmtBatch batch, float labelSmoothing, boolean training) {
    int[] lengths = batch.sourceLengths();
    Attention.Memory encoded = model.encode(batch.sources(), lengths, training);
    Attention.Memory memory = attention.memory(encoded.keys(), lengths);
    NDArray embedded = dropout(embed(batch.targetInputs()), training);
    long steps = embedded.getShape().get(1);
    RnnState[] states = new RnnState[cells.size()];
    NDArray bottomBefore = null; // b_{t-1}, the query of the gnmt variant; zeros at t = 0
    if (config.query() == GnmtConfig.Query.GNMT) {
      Shape shape = new Shape(embedded.getShape().get(0), config.hiddenSize());
      bottomBefore = embedded.getManager().zeros(shape, embedded.getDataType());
    }
    // The bottom layer reads only the target embeddings: its input projections for all steps are
    // one product, as a step-wise decoder written for speed does.
    NDArray projected = cells.get(0).projectInput(embedded);
    NDList tops = new NDList();
    for (long t = 0; t < steps; t++) {
      NDArray y = projected.get(new NDIndex(":, {}", t));
      states[0] = cells.get(0).forwardProjected(y, states[0]);
      NDArray bottom = states[0].h();
      NDArray query = config.query() == GnmtConfig.Query.GNMT_V2 ? bottom : bottomBefore;
      bottomBefore = bottom;
      NDArray context = attention.step(query, memory).context();
      NDArray x = bottom;
      for (int i = 1; i < cells.size(); i++) {
        NDArray input = NDArrays.concat(new NDList(dropout(x, training), context), -1);
        states[i] = cells.get(i).forward(input, states[i]);
        x = config.residual(i + 1) ? states[i].h().add(x) : states[i].h();
      }
      tops.add(x);
    }
    return Losses.linearCrossEntropy(
        NDArrays.stack(tops, 1),
        parameters.get(projectionName()),
        parameters.get("projection.bias"),
        batch.targetOutputs(),
        config.pad(),
        labelSmoothing);
  }

  private String projectionName() {
    if (!config.tiedProjection()) {
      return "projection.weight";
    }
    return config.sharedEmbedding() ? "embedding.weight" : "target_embedding.weight";
  }

  private NDArray embed(NDArray ids) {
    NDArray table =
        parameters.get(config.sharedEmbedding() ? "embedding.weight" : "target_embedding.weight");
    return Embedding.embedding(ids.toType(DataType.INT64, false), table, SparseFormat.DENSE)
        .singletonOrThrow();
  }

  private NDArray dropout(NDArray x, boolean training) {
    if (!training || config.dropout() == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, config.dropout(), true).singletonOrThrow();
  }
}
