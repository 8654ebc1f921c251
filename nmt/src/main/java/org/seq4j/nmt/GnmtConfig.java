package org.seq4j.nmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.seq4j.nn.Attention;
import org.seq4j.text.SubwordTokenizer;

/**
 * The shape of a {@link Gnmt}: vocabulary, sizes, depth, dropout, attention, residuals, tying and
 * the special ids. Written into every checkpoint's config JSON ({@link #writeTo}) so that the model
 * can be rebuilt from the checkpoint alone ({@link #readFrom}).
 *
 * <p>Source and target share one vocabulary, as GNMT's shared wordpiece model (Wu et al. 2016,
 * section 4.1); {@code sharedEmbedding} also makes them share one embedding matrix.
 *
 * @param vocabularySize V, the size of the shared vocabulary (special ids included)
 * @param embeddingSize E, the size of a token embedding
 * @param hiddenSize H, the size of every LSTM layer (and of the attention)
 * @param encoderLayers encoder layers, at least 2: a bidirectional first layer, then unidirectional
 *     ones
 * @param decoderLayers decoder layers, at least 2: the bottom layer, which queries the attention,
 *     and the layers above it, which read the context
 * @param dropout dropout on the embeddings and between layers, in training, in {@code [0, 1)}
 * @param attention the score function: normalized Bahdanau (GNMT's) or Luong general
 * @param query which bottom-layer output queries the attention: GNMT v2's (this step's) or GNMT's
 *     (the previous step's)
 * @param residualFrom the first layer (counting from 1) whose input is added to its output, in the
 *     encoder and the decoder; 3 in GNMT; 0 for none, else at least 3
 * @param tiedProjection whether the output projection's weight is the target embedding (then {@code
 *     embeddingSize == hiddenSize})
 * @param sharedEmbedding whether source and target share one embedding matrix
 * @param pad the padding id (ignored by the loss)
 * @param bos the begin-of-sentence id, fed at the first decoder step
 * @param eos the end-of-sentence id, the last target
 */
public record GnmtConfig(
    int vocabularySize,
    int embeddingSize,
    int hiddenSize,
    int encoderLayers,
    int decoderLayers,
    float dropout,
    Attention.Kind attention,
    Query query,
    int residualFrom,
    boolean tiedProjection,
    boolean sharedEmbedding,
    int pad,
    int bos,
    int eos) {

  /** Which output of the bottom decoder layer queries the attention at step t. */
  public enum Query {
    /** The previous step's output {@code h_{t−1}} (the initial state at the first step). */
    GNMT("gnmt"),
    /** This step's output {@code h_t} (tensorflow/nmt's gnmt_v2, NVIDIA's GNMT v2). */
    GNMT_V2("gnmt_v2");

    private final String id;

    Query(String id) {
      this.id = id;
    }

    /** The name in the config JSON: {@code gnmt} or {@code gnmt_v2}. */
    public String id() {
      return id;
    }

    /**
     * The variant named {@code id}.
     *
     * @throws IllegalArgumentException if it is neither {@code gnmt} nor {@code gnmt_v2}
     */
    public static Query of(String id) {
      for (Query q : values()) {
        if (q.id.equals(id.toLowerCase(Locale.ROOT))) {
          return q;
        }
      }
      throw new IllegalArgumentException(
          "unknown attention query '" + id + "': choose gnmt or gnmt_v2");
    }
  }

  private static final String MODEL = "gnmt";

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public GnmtConfig {
    positive("vocabularySize", vocabularySize);
    positive("embeddingSize", embeddingSize);
    positive("hiddenSize", hiddenSize);
    if (encoderLayers < 2) {
      throw new IllegalArgumentException(
          "encoderLayers: at least 2 (a bidirectional layer, then a unidirectional one), got "
              + encoderLayers);
    }
    if (decoderLayers < 2) {
      throw new IllegalArgumentException(
          "decoderLayers: at least 2 (the attention feeds the layers above the first), got "
              + decoderLayers);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout: must be in [0, 1), got " + dropout);
    }
    if (attention == null) {
      throw new IllegalArgumentException("attention: needed");
    }
    if (query == null) {
      throw new IllegalArgumentException("query: needed");
    }
    if (residualFrom != 0 && residualFrom < 3) {
      throw new IllegalArgumentException(
          "residualFrom: 0 (none) or a layer number from 3 on (the input of layers 1 and 2 has"
              + " another size than their output), got "
              + residualFrom);
    }
    if (tiedProjection && embeddingSize != hiddenSize) {
      throw new IllegalArgumentException(
          "tiedProjection: needs embeddingSize == hiddenSize, got "
              + embeddingSize
              + " and "
              + hiddenSize);
    }
    id("pad", pad, vocabularySize);
    id("bos", bos, vocabularySize);
    id("eos", eos, vocabularySize);
    if (pad == bos || pad == eos || bos == eos) {
      throw new IllegalArgumentException(
          "pad, bos and eos must differ, got " + pad + ", " + bos + " and " + eos);
    }
  }

  /**
   * Small defaults for a CPU with a few cores: embeddings and 4 + 4 LSTM layers of 256, dropout
   * 0.2, normalized Bahdanau attention queried by this step's bottom output (GNMT v2), residuals
   * from layer 3, one embedding shared by source, target and output projection, and {@link
   * SubwordTokenizer}'s special ids.
   */
  public static GnmtConfig small(int vocabularySize) {
    return new GnmtConfig(
        vocabularySize,
        256,
        256,
        4,
        4,
        0.2f,
        Attention.Kind.NORMALIZED_BAHDANAU,
        Query.GNMT_V2,
        3,
        true,
        true,
        SubwordTokenizer.PAD,
        SubwordTokenizer.BOS,
        SubwordTokenizer.EOS);
  }

  /**
   * The paper's model (Wu et al. 2016): 8 encoder and 8 decoder layers of 1024, embeddings of 1024,
   * dropout 0.2, normalized Bahdanau attention, residuals from layer 3; source and target
   * embeddings and the projection separate.
   */
  public static GnmtConfig paper(int vocabularySize) {
    return small(vocabularySize)
        .withSizes(1024, 1024)
        .withLayers(8, 8)
        .withQuery(Query.GNMT)
        .withTying(false, false);
  }

  /** The same with embeddings of {@code embedding} and layers of {@code hidden}. */
  public GnmtConfig withSizes(int embedding, int hidden) {
    return new GnmtConfig(
        vocabularySize,
        embedding,
        hidden,
        encoderLayers,
        decoderLayers,
        dropout,
        attention,
        query,
        residualFrom,
        tiedProjection,
        sharedEmbedding,
        pad,
        bos,
        eos);
  }

  /** The same with {@code encoder} encoder layers and {@code decoder} decoder layers. */
  public GnmtConfig withLayers(int encoder, int decoder) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoder,
        decoder,
        dropout,
        attention,
        query,
        residualFrom,
        tiedProjection,
        sharedEmbedding,
        pad,
        bos,
        eos);
  }

  /** The same with dropout {@code p}. */
  public GnmtConfig withDropout(float p) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoderLayers,
        decoderLayers,
        p,
        attention,
        query,
        residualFrom,
        tiedProjection,
        sharedEmbedding,
        pad,
        bos,
        eos);
  }

  /** The same with the score function {@code kind}. */
  public GnmtConfig withAttention(Attention.Kind kind) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoderLayers,
        decoderLayers,
        dropout,
        kind,
        query,
        residualFrom,
        tiedProjection,
        sharedEmbedding,
        pad,
        bos,
        eos);
  }

  /** The same with the attention query {@code variant}. */
  public GnmtConfig withQuery(Query variant) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoderLayers,
        decoderLayers,
        dropout,
        attention,
        variant,
        residualFrom,
        tiedProjection,
        sharedEmbedding,
        pad,
        bos,
        eos);
  }

  /** The same with residual connections from layer {@code layer} (0 for none). */
  public GnmtConfig withResidualFrom(int layer) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoderLayers,
        decoderLayers,
        dropout,
        attention,
        query,
        layer,
        tiedProjection,
        sharedEmbedding,
        pad,
        bos,
        eos);
  }

  /** The same with the projection tied (or not) and the embedding shared (or not). */
  public GnmtConfig withTying(boolean tied, boolean shared) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoderLayers,
        decoderLayers,
        dropout,
        attention,
        query,
        residualFrom,
        tied,
        shared,
        pad,
        bos,
        eos);
  }

  /** The same with these special ids. */
  public GnmtConfig withSpecialIds(int padId, int bosId, int eosId) {
    return new GnmtConfig(
        vocabularySize,
        embeddingSize,
        hiddenSize,
        encoderLayers,
        decoderLayers,
        dropout,
        attention,
        query,
        residualFrom,
        tiedProjection,
        sharedEmbedding,
        padId,
        bosId,
        eosId);
  }

  /** Whether decoder or encoder layer {@code layer} (counting from 1) adds its input. */
  public boolean residual(int layer) {
    return residualFrom > 0 && layer >= residualFrom;
  }

  // ---------------------------------------------------------------------------------------------
  // JSON.

  /**
   * Writes the fields into {@code node}: {@code model} ("gnmt"), {@code vocabulary_size}, {@code
   * embedding}, {@code hidden}, {@code encoder_layers}, {@code decoder_layers}, {@code dropout},
   * {@code attention} ("normalized_bahdanau" or "luong"), {@code attention_query} ("gnmt" or
   * "gnmt_v2"), {@code residual_from}, {@code tied_projection}, {@code shared_embedding}, {@code
   * pad_id}, {@code bos_id}, {@code eos_id}.
   *
   * @return {@code node}
   */
  public ObjectNode writeTo(ObjectNode node) {
    node.put("model", MODEL);
    node.put("vocabulary_size", vocabularySize);
    node.put("embedding", embeddingSize);
    node.put("hidden", hiddenSize);
    node.put("encoder_layers", encoderLayers);
    node.put("decoder_layers", decoderLayers);
    node.put("dropout", dropout);
    node.put("attention", attention.name().toLowerCase(Locale.ROOT));
    node.put("attention_query", query.id());
    node.put("residual_from", residualFrom);
    node.put("tied_projection", tiedProjection);
    node.put("shared_embedding", sharedEmbedding);
    node.put("pad_id", pad);
    node.put("bos_id", bos);
    node.put("eos_id", eos);
    return node;
  }

  /** The fields as a JSON object ({@link #writeTo}). */
  public ObjectNode toJson() {
    return writeTo(JsonNodeFactory.instance.objectNode());
  }

  /** The fields as a JSON text ({@link #writeTo}). */
  public String toJsonString() {
    return toJson().toString();
  }

  private static final String[] KEYS = {
    "vocabulary_size",
    "embedding",
    "hidden",
    "encoder_layers",
    "decoder_layers",
    "dropout",
    "attention",
    "attention_query",
    "residual_from",
    "tied_projection",
    "shared_embedding",
    "pad_id",
    "bos_id",
    "eos_id"
  };

  /**
   * Reads the fields written by {@link #writeTo}.
   *
   * @throws IllegalArgumentException if the node is not a GNMT config, a field is missing or has
   *     the wrong type, or a value is out of range
   */
  public static GnmtConfig readFrom(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a GNMT config must be a JSON object, got " + node);
    }
    if (node.has("model") && !MODEL.equals(node.get("model").asText())) {
      throw new IllegalArgumentException(
          "the config is of a '" + node.get("model").asText() + "' model, not gnmt");
    }
    for (String key : KEYS) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException("the GNMT config has no '" + key + "'");
      }
      boolean ok =
          switch (key) {
            case "dropout" -> value.isNumber();
            case "attention", "attention_query" -> value.isTextual();
            case "tied_projection", "shared_embedding" -> value.isBoolean();
            default -> value.isIntegralNumber();
          };
      if (!ok) {
        throw new IllegalArgumentException(
            "the GNMT config's '" + key + "' has the wrong type: " + value);
      }
    }
    String kind = node.get("attention").asText();
    Attention.Kind attention;
    try {
      attention = Attention.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          "unknown attention '" + kind + "': choose normalized_bahdanau or luong");
    }
    return new GnmtConfig(
        node.get("vocabulary_size").asInt(),
        node.get("embedding").asInt(),
        node.get("hidden").asInt(),
        node.get("encoder_layers").asInt(),
        node.get("decoder_layers").asInt(),
        (float) node.get("dropout").asDouble(),
        attention,
        Query.of(node.get("attention_query").asText()),
        node.get("residual_from").asInt(),
        node.get("tied_projection").asBoolean(),
        node.get("shared_embedding").asBoolean(),
        node.get("pad_id").asInt(),
        node.get("bos_id").asInt(),
        node.get("eos_id").asInt());
  }

  /**
   * Reads a JSON text written by {@link #toJsonString}.
   *
   * @throws IllegalArgumentException if it is not JSON or not a valid GNMT config
   */
  public static GnmtConfig fromJson(String json) {
    try {
      return readFrom(new ObjectMapper().readTree(json));
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException("the GNMT config is not valid JSON: " + ex.getMessage());
    }
  }

  /** For example "GNMT 4+4 x 256, emb 256, normalized Bahdanau (gnmt_v2), vocabulary 8000". */
  public String describe() {
    return "GNMT "
        + encoderLayers
        + "+"
        + decoderLayers
        + " x "
        + hiddenSize
        + ", emb "
        + embeddingSize
        + ", "
        + (attention == Attention.Kind.LUONG ? "Luong" : "normalized Bahdanau")
        + " ("
        + query.id()
        + "), vocabulary "
        + vocabularySize
        + (residualFrom > 0 ? ", residual from layer " + residualFrom : "")
        + (sharedEmbedding ? ", shared embedding" : "")
        + (tiedProjection ? ", tied projection" : "")
        + (dropout > 0 ? ", dropout " + dropout : "");
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
  }

  private static void id(String name, int value, int vocabularySize) {
    if (value < 0 || value >= vocabularySize) {
      throw new IllegalArgumentException(
          name + ": must be an id in [0, " + vocabularySize + "), got " + value);
    }
  }
}
