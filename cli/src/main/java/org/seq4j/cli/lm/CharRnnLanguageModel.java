package org.seq4j.cli.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.nn.Gru;
import org.seq4j.nn.Lstm;
import org.seq4j.nn.RecurrentLayer;
import org.seq4j.nn.Rnn;
import org.seq4j.nn.RnnOutput;
import org.seq4j.nn.RnnState;

/**
 * A recurrent character language model: character embedding, a stack of recurrent layers (LSTM, GRU
 * or Elman RNN), and a linear layer to next-character logits. Parameter names and layouts are those
 * of the PyTorch module
 *
 * <pre>{@code
 * class CharLm(nn.Module):
 *     def __init__(self, vocab, embedding, hidden, layers):
 *         self.embedding = nn.Embedding(vocab, embedding)
 *         self.rnn = nn.LSTM(embedding, hidden, layers, batch_first=True)
 *         self.output = nn.Linear(hidden, vocab)
 * }</pre>
 *
 * <p>({@code embedding.weight}, {@code rnn.weight_ih_l0}, ..., {@code output.weight}, {@code
 * output.bias}), so a checkpoint is a state dict for it ({@code bench/peers/lm_peer.py}).
 */
public final class CharRnnLanguageModel {
  private final CharRnnConfig config;
  private final RecurrentLayer rnn;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  /**
   * Creates the parameters in {@code manager} with PyTorch's initialization (embedding N(0, 1);
   * recurrent and linear weights and biases U(-1/sqrt(fan), 1/sqrt(fan))), from libtorch's
   * generator, which the caller seeds.
   */
  public CharRnnLanguageModel(NDManager manager, CharRnnConfig config) {
    this.config = config;
    int vocabulary = config.vocabulary().size();
    add("embedding.weight", manager.randomNormal(new Shape(vocabulary, config.embedding())));
    this.rnn = recurrentLayer(config);
    rnn.initialize(manager);
    for (Map.Entry<String, NDArray> e : rnn.stateDict().entrySet()) {
      add("rnn." + e.getKey(), e.getValue());
    }
    float bound = (float) (1 / Math.sqrt(config.hidden()));
    add(
        "output.weight",
        manager.randomUniform(
            -bound, bound, new Shape(vocabulary, config.hidden()), DataType.FLOAT32));
    add(
        "output.bias",
        manager.randomUniform(-bound, bound, new Shape(vocabulary), DataType.FLOAT32));
  }

  private static RecurrentLayer recurrentLayer(CharRnnConfig c) {
    return switch (c.cell()) {
      case "lstm" -> sized(Lstm.builder(), c).build();
      case "gru" -> sized(Gru.builder(), c).build();
      case "rnn" -> sized(Rnn.builder(), c).build();
      default -> throw new IllegalArgumentException("unknown model '" + c.cell() + "'");
    };
  }

  private static <T extends RecurrentLayer.Builder<T>> T sized(T builder, CharRnnConfig c) {
    return builder
        .inputSize(c.embedding())
        .hiddenSize(c.hidden())
        .layers(c.layers())
        .residualFrom(c.residualFrom())
        .dropout(c.dropout());
  }

  private void add(String name, NDArray array) {
    array.setRequiresGradient(true);
    params.put(name, array);
  }

  /** What defines the model. */
  public CharRnnConfig config() {
    return config;
  }

  /** The parameters by PyTorch name; the live arrays. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** The number of scalar parameters. */
  public long size() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /**
   * What {@link #forward} returns.
   *
   * @param logits {@code [B, T, vocabulary]}
   * @param state the recurrent state after the last step
   */
  public record Output(NDArray logits, RnnState state) {}

  /**
   * Next-character logits for every position.
   *
   * @param ids {@code [B, T]} character ids (INT64)
   * @param initial the recurrent state before the first step, or null for zeros
   * @param training whether dropout is on
   */
  public Output forward(NDArray ids, RnnState initial, boolean training) {
    NDArray table = params.get("embedding.weight");
    NDArray embedded =
        table.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    RnnOutput out = rnn.forward(embedded, null, initial, training);
    NDArray y = out.output();
    NDArray logits =
        y.getNDArrayInternal()
            .linear(y, params.get("output.weight"), params.get("output.bias"))
            .singletonOrThrow();
    return new Output(logits, out.state());
  }
}
