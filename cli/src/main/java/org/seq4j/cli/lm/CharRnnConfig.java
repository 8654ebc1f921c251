package org.seq4j.cli.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * What defines a {@link CharRnnLanguageModel}: the recurrence, the sizes, the vocabulary. Stored in
 * every checkpoint's config JSON, so that the model can be rebuilt from the checkpoint alone.
 *
 * @param cell {@code lstm}, {@code gru} or {@code rnn} (Elman, tanh)
 * @param vocabulary the characters, UNK included
 * @param embedding the size of a character embedding
 * @param hidden the size of each recurrent layer's state
 * @param layers the number of stacked recurrent layers
 * @param dropout dropout between recurrent layers in training
 * @param residualFrom the first layer (counting from 1) that adds its input to its output, as in
 *     GNMT; 0 for none
 */
public record CharRnnConfig(
    String cell,
    Vocabulary vocabulary,
    int embedding,
    int hidden,
    int layers,
    float dropout,
    int residualFrom) {

  /** The recurrences {@code --model} accepts. */
  public static final String CELLS = "lstm, gru, rnn";

  public CharRnnConfig {
    cell = checkCell(cell);
    if (embedding <= 0 || hidden <= 0 || layers <= 0) {
      throw new IllegalArgumentException(
          "embedding, hidden and layers must be > 0, got "
              + embedding
              + ", "
              + hidden
              + ", "
              + layers);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (residualFrom < 0 || residualFrom > layers) {
      throw new IllegalArgumentException(
          "residualFrom must be 0 (none) or a layer in [1, " + layers + "], got " + residualFrom);
    }
  }

  /** A stack without residual connections. */
  public CharRnnConfig(
      String cell, Vocabulary vocabulary, int embedding, int hidden, int layers, float dropout) {
    this(cell, vocabulary, embedding, hidden, layers, dropout, 0);
  }

  /**
   * The recurrence named {@code cell}, in lower case.
   *
   * @throws IllegalArgumentException if it is not one of {@link #CELLS}
   */
  public static String checkCell(String cell) {
    String c = cell.toLowerCase(Locale.ROOT);
    if (!c.equals("lstm") && !c.equals("gru") && !c.equals("rnn")) {
      throw new IllegalArgumentException("unknown model '" + cell + "': choose one of " + CELLS);
    }
    return c;
  }

  /** Writes the fields into {@code node} (keys {@code model}, {@code vocabulary}, ...). */
  public ObjectNode writeTo(ObjectNode node) {
    node.put("model", cell);
    node.put("vocabulary", vocabulary.characters());
    node.put("vocabulary_size", vocabulary.size());
    node.put("embedding", embedding);
    node.put("hidden", hidden);
    node.put("layers", layers);
    node.put("dropout", dropout);
    if (residualFrom > 0) {
      node.put("residual_from", residualFrom);
    }
    return node;
  }

  /**
   * Reads the fields written by {@link #writeTo}.
   *
   * @throws IllegalArgumentException if a field is missing or the vocabulary does not match its
   *     recorded size
   */
  public static CharRnnConfig readFrom(JsonNode node) {
    for (String key : new String[] {"model", "vocabulary", "embedding", "hidden", "layers"}) {
      if (!node.hasNonNull(key)) {
        throw new IllegalArgumentException(
            "the checkpoint's config has no '" + key + "': it was not written by `lm train`");
      }
    }
    Vocabulary vocabulary = Vocabulary.fromCharacters(node.get("vocabulary").asText());
    if (node.has("vocabulary_size") && node.get("vocabulary_size").asInt() != vocabulary.size()) {
      throw new IllegalArgumentException(
          "the checkpoint's vocabulary has "
              + vocabulary.size()
              + " entries, but its config says "
              + node.get("vocabulary_size").asInt());
    }
    return new CharRnnConfig(
        node.get("model").asText(),
        vocabulary,
        node.get("embedding").asInt(),
        node.get("hidden").asInt(),
        node.get("layers").asInt(),
        (float) node.path("dropout").asDouble(0),
        node.path("residual_from").asInt(0));
  }

  /** For example "LSTM 2 x 512", or "LSTM 8 x 256, residual from layer 2". */
  public String describe() {
    return cell.toUpperCase(Locale.ROOT)
        + " "
        + layers
        + " x "
        + hidden
        + (residualFrom > 0 ? ", residual from layer " + residualFrom : "");
  }
}
