package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seq4j.nn.Attention;
import org.seq4j.nn.ForwardBlock;
import org.seq4j.nn.Losses;
import org.seq4j.nn.StateDicts;

/**
 * GNMT (Wu et al. 2016, "Google's Neural Machine Translation System"), as tensorflow/nmt's {@code
 * gnmt}/{@code gnmt_v2} and NVIDIA's GNMT v2, as a DJL block built from a {@link GnmtConfig}:
 *
 * <pre>
 *   e      = Emb_src(x)                               source embeddings (dropout in training)
 *   k      = Encoder(e)                               {@link GnmtEncoder}: bidirectional first layer,
 *                                                     residuals from layer 3, exact lengths
 *   top, a = Decoder(Emb_tgt(y_in), k)                {@link GnmtDecoder}: attention queried by the
 *                                                     bottom layer, context into every upper layer
 *   logits = top Wᵀ + bias                            W = projection.weight, or Emb_tgt when tied
 *   loss   = label-smoothed cross-entropy(logits, y_out), PAD ignored      ({@link Losses})
 * </pre>
 *
 * <p>The decoder starts from the zero state (as NVIDIA's GNMT v2: the encoder's state is not passed
 * on). Training runs without a step loop ({@link #loss}); decoding runs one token at a time through
 * {@link StepDecoder} ({@link #start}, {@link #step}) with the same weights and the same results.
 *
 * <p>Parameters, with PyTorch's names and layouts ({@link #stateDict}): {@code embedding.weight [V,
 * E]} when shared, else {@code source_embedding.weight} and {@code target_embedding.weight}; {@code
 * encoder.lstm.*} ({@code weight_ih_l0}, {@code weight_ih_l0_reverse}, ..., as {@code
 * torch.nn.LSTM}); {@code decoder.layers.<i>.*} (one single-layer LSTM each, {@code i = 0} the
 * bottom); {@code decoder.attention.*} ({@link Attention}); {@code projection.weight [V, H]}
 * (absent when tied) and {@code projection.bias [V]}. {@link #initialize} draws every weight from
 * {@code U(±0.1)} (tensorflow/nmt's and NVIDIA's {@code init_weight}), except the attention's
 * {@code g = 1/√H} and {@code b = 0}.
 *
 * <pre>{@code
 * Gnmt gnmt = new Gnmt(GnmtConfig.small(tokenizer.size()));
 * gnmt.initialize(manager);
 * Steps.run(manager, m -> {
 *   GnmtBatch batch = GnmtBatch.of(m, sources, targets, gnmt.config());
 *   try (GradientCollector collector = engine.newGradientCollector()) {
 *     collector.backward(gnmt.loss(batch, 0.1f, true));
 *   }
 *   ...                                          // clip, optimizer step, zero the gradients
 * });
 * }</pre>
 */
public final class Gnmt extends ForwardBlock implements StepDecoder {
  /** The bound of the uniform initialization. */
  public static final float INIT_RANGE = 0.1f;

  private final GnmtConfig config;
  private final Parameter sourceEmbedding;
  private final Parameter targetEmbedding;
  private final GnmtEncoder encoder;
  private final GnmtDecoder decoder;
  private final Parameter projectionWeight;
  private final Parameter projectionBias;

  /** A GNMT of the given shape; call {@link #initialize} before use. */
  public Gnmt(GnmtConfig config) {
    this.config = config;
    Shape table = new Shape(config.vocabularySize(), config.embeddingSize());
    if (config.sharedEmbedding()) {
      sourceEmbedding = addParameter(weight("embedding.weight", table));
      targetEmbedding = sourceEmbedding;
    } else {
      sourceEmbedding = addParameter(weight("source_embedding.weight", table));
      targetEmbedding = addParameter(weight("target_embedding.weight", table));
    }
    encoder = addChildBlock("encoder", new GnmtEncoder(config));
    decoder = addChildBlock("decoder", new GnmtDecoder(config));
    projectionWeight =
        config.tiedProjection()
            ? null
            : addParameter(
                weight(
                    "projection.weight", new Shape(config.vocabularySize(), config.hiddenSize())));
    projectionBias =
        addParameter(
            StateDicts.uniform(
                "projection.bias",
                Parameter.Type.BIAS,
                new Shape(config.vocabularySize()),
                INIT_RANGE));
  }

  private static Parameter weight(String name, Shape shape) {
    return StateDicts.uniform(name, Parameter.Type.WEIGHT, shape, INIT_RANGE);
  }

  /** Initializes the parameters in float32 ({@link #initialize(NDManager, DataType)}). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32);
  }

  /**
   * Draws every parameter from {@code U(±}{@link #INIT_RANGE}{@code )}; see {@link
   * #initialize(NDManager, DataType, float)}.
   *
   * @param type FLOAT32, or FLOAT64 for checks
   */
  public void initialize(NDManager manager, DataType type) {
    initialize(manager, type, INIT_RANGE);
  }

  /**
   * Draws every parameter from {@code U(±range)} in the order of {@link #stateDict}, from
   * libtorch's generator, except the attention's {@code normalize_scalar} ({@code 1/√H}) and {@code
   * normalize_bias} (0). NVIDIA GNMT v2's 0.1 suits wide layers; small models learn faster from a
   * larger range (0.3 for layers of 32).
   *
   * @param type FLOAT32, or FLOAT64 for checks
   * @param range the bound of the uniform distribution, positive
   */
  public void initialize(NDManager manager, DataType type, float range) {
    if (!(range > 0)) {
      throw new IllegalArgumentException("range: must be positive, got " + range);
    }
    StateDicts.initialize(manager, type, List.of(sourceEmbedding));
    if (targetEmbedding != sourceEmbedding) {
      StateDicts.initialize(manager, type, List.of(targetEmbedding));
    }
    encoder.initialize(manager, type);
    decoder.initialize(manager, type);
    StateDicts.initialize(
        manager,
        type,
        projectionWeight == null
            ? List.of(projectionBias)
            : List.of(projectionWeight, projectionBias));
    for (Map.Entry<String, NDArray> e : stateDict().entrySet()) {
      if (e.getKey().startsWith("decoder.attention.normalize_")) {
        continue; // set by Attention.initialize
      }
      NDArray p = e.getValue();
      try (NDArray u = manager.randomUniform(-range, range, p.getShape(), type)) {
        p.set(u.toByteBuffer());
      }
    }
  }

  /** DJL's initialization; input shapes are not needed, every parameter's shape is known. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    initialize(manager, dataType);
  }

  // ---------------------------------------------------------------------------------------------
  // Training and scoring: the whole target at once.

  /**
   * The result of a teacher-forced pass.
   *
   * @param logits {@code [B, T, V]}: position t predicts {@code targetOutputs[t]}
   * @param attention the attention weights {@code [B, T, S]}, exactly 0 on source padding
   */
  public record Output(NDArray logits, NDArray attention) {}

  /**
   * The teacher-forced pass over a batch, with no step loop.
   *
   * @param sources source ids {@code [B, S]} (integers), padded
   * @param sourceLengths each source's real length, in {@code [0, S]}; S must be at least 1
   * @param targetInputs decoder input ids {@code [B, T]} (BOS first)
   * @param training whether dropout is on
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public Output forward(
      NDArray sources, int[] sourceLengths, NDArray targetInputs, boolean training) {
    GnmtDecoder.Output out = decode(sources, sourceLengths, targetInputs, training);
    return new Output(project(out.top()), out.weights());
  }

  /** The decoder's top outputs {@code [B, T, H]} and attention weights of a teacher-forced pass. */
  private GnmtDecoder.Output decode(
      NDArray sources, int[] sourceLengths, NDArray targetInputs, boolean training) {
    checkIds("targetInputs", targetInputs);
    if (targetInputs.getShape().get(0) != sources.getShape().get(0)) {
      throw new IllegalArgumentException(
          "targetInputs has "
              + targetInputs.getShape().get(0)
              + " rows but sources has "
              + sources.getShape().get(0));
    }
    Attention.Memory memory = encode(sources, sourceLengths, training);
    NDArray embedded = dropout(embed(targetEmbedding, targetInputs), training);
    return decoder.forward(embedded, memory, training);
  }

  /** The logits {@code [B, T, V]} of {@link #forward}. */
  public NDArray logits(
      NDArray sources, int[] sourceLengths, NDArray targetInputs, boolean training) {
    return forward(sources, sourceLengths, targetInputs, training).logits();
  }

  /**
   * The mean label-smoothed cross-entropy of a batch over its non-PAD target positions: that of
   * {@link Losses#crossEntropy} over the logits of {@link #forward}, computed by {@link
   * Losses#linearCrossEntropy}, which projects only the non-PAD positions, a few hundred at a time,
   * without forming the {@code [B, T, V]} logits.
   *
   * @param labelSmoothing the smoothing ε in {@code [0, 1]} (0.1 in GNMT)
   * @param training whether dropout is on
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public NDArray loss(GnmtBatch batch, float labelSmoothing, boolean training) {
    Losses.TokenSum sum = lossSum(batch, labelSmoothing, training);
    return sum.sum().div((float) Math.max(sum.count(), 1));
  }

  /**
   * The summed loss of a batch and its number of target tokens, for exact averages over many
   * batches (validation).
   */
  public Losses.TokenSum lossSum(GnmtBatch batch, float labelSmoothing, boolean training) {
    NDArray top = top(batch, training);
    return Losses.linearCrossEntropySum(
        top,
        projectionArray(),
        array(projectionBias),
        batch.targetOutputs(),
        config.pad(),
        labelSmoothing);
  }

  private NDArray top(GnmtBatch batch, boolean training) {
    checkIds("targetOutputs", batch.targetOutputs());
    if (!batch.targetOutputs().getShape().equals(batch.targetInputs().getShape())) {
      throw new IllegalArgumentException(
          "targetOutputs has shape "
              + batch.targetOutputs().getShape()
              + " but targetInputs "
              + batch.targetInputs().getShape());
    }
    return decode(batch.sources(), batch.sourceLengths(), batch.targetInputs(), training).top();
  }

  /**
   * Encodes a padded batch: the attention memory of the top encoder outputs {@code [B, S, H]}. An
   * empty source (length 0) is run as one PAD token and fully masked, so its context is zero.
   *
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public Attention.Memory encode(NDArray sources, int[] sourceLengths, boolean training) {
    checkIds("sources", sources);
    int rows = (int) sources.getShape().get(0);
    int steps = (int) sources.getShape().get(1);
    if (sourceLengths == null || sourceLengths.length != rows) {
      throw new IllegalArgumentException(
          "sourceLengths: one length per row ("
              + rows
              + "), got "
              + (sourceLengths == null ? "null" : sourceLengths.length));
    }
    int[] runLengths = new int[rows];
    for (int b = 0; b < rows; b++) {
      if (sourceLengths[b] < 0 || sourceLengths[b] > steps) {
        throw new IllegalArgumentException(
            "sourceLengths[" + b + "] = " + sourceLengths[b] + " is outside [0, " + steps + "]");
      }
      runLengths[b] = Math.max(1, sourceLengths[b]);
    }
    NDArray embedded = dropout(embed(sourceEmbedding, sources), training);
    NDArray keys = encoder.encode(embedded, runLengths, training);
    return decoder.attention().memory(keys, sourceLengths);
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding one token at a time.

  @Override
  public int bos() {
    return config.bos();
  }

  @Override
  public int eos() {
    return config.eos();
  }

  @Override
  public int vocabularySize() {
    return config.vocabularySize();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The state's arrays are attached to {@code manager} and registered in no enclosing {@link
   * NDScope}: they live until {@code manager} closes. Intermediate arrays are freed before
   * returning.
   *
   * @throws IllegalArgumentException if there is no source or an id is outside the vocabulary
   */
  @Override
  public DecoderState start(NDManager manager, List<int[]> sources) {
    if (sources == null || sources.isEmpty()) {
      throw new IllegalArgumentException("sources: at least one sentence is needed");
    }
    int rows = sources.size();
    int[] lengths = new int[rows];
    int longest = 0;
    for (int b = 0; b < rows; b++) {
      int[] x = sources.get(b);
      if (x == null) {
        throw new IllegalArgumentException("sources[" + b + "] is null");
      }
      checkTokens("sources[" + b + "]", x);
      lengths[b] = x.length;
      longest = Math.max(longest, x.length);
    }
    int width = Math.max(1, longest);
    long[] padded = new long[rows * width];
    java.util.Arrays.fill(padded, config.pad());
    for (int b = 0; b < rows; b++) {
      for (int s = 0; s < lengths[b]; s++) {
        padded[b * width + s] = sources.get(b)[s];
      }
    }
    Shape stateShape = new Shape(config.decoderLayers(), rows, config.hiddenSize());
    try (NDManager work = manager.newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray src = work.create(padded, new Shape(rows, width));
      Attention.Memory memory = keep(encode(src, lengths, false).view(manager));
      NDArray h = keep(manager, manager.zeros(stateShape, dataType()));
      NDArray c = keep(manager, manager.zeros(stateShape, dataType()));
      int[] rowSources = new int[rows];
      for (int b = 0; b < rows; b++) {
        rowSources[b] = b;
      }
      return new GnmtState(memory, h, c, longest, rowSources);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The log-probabilities, the attention weights and the new state are attached to {@code
   * manager} and registered in no enclosing {@link NDScope}; the new state shares the encoder
   * memory of {@code state} through views, so {@code state}'s manager may be closed.
   *
   * @throws IllegalArgumentException if the state is not a GNMT state, or the tokens do not fit
   */
  @Override
  public StepOutput step(NDManager manager, DecoderState state, int[] tokens) {
    if (!(state instanceof GnmtState s)) {
      throw new IllegalArgumentException(
          "state: not a GNMT state (" + (state == null ? "null" : state.getClass()) + ")");
    }
    if (tokens == null || tokens.length != s.rows()) {
      throw new IllegalArgumentException(
          "tokens: one per row ("
              + s.rows()
              + "), got "
              + (tokens == null ? "null" : tokens.length));
    }
    checkTokens("tokens", tokens);
    long[] ids = new long[tokens.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokens[i];
    }
    try (NDManager work = manager.newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray embedded = embed(targetEmbedding, work.create(ids));
      GnmtDecoder.Step out = decoder.step(embedded, s.memory(), s.h(), s.c());
      NDArray logProbs = project(out.top()).logSoftmax(-1);
      NDArray weights = out.weights();
      if (s.attentionWidth() < s.memory().steps()) {
        weights = weights.get(new NDIndex(":, :{}", s.attentionWidth()));
      }
      GnmtState next =
          new GnmtState(
              keep(s.memory().view(manager)),
              keep(manager, out.h()),
              keep(manager, out.c()),
              s.attentionWidth(),
              s.sources());
      return new StepOutput(keep(manager, logProbs), keep(manager, weights), next);
    }
  }

  /** Takes {@code a} out of the current {@link NDScope} and attaches it to {@code manager}. */
  private static NDArray keep(NDManager manager, NDArray a) {
    NDScope.unregister(a);
    a.attach(manager);
    return a;
  }

  /** Takes the memory's arrays (already in their manager) out of the current {@link NDScope}. */
  private static Attention.Memory keep(Attention.Memory memory) {
    for (NDArray a : memory.arrays()) {
      NDScope.unregister(a);
    }
    return memory;
  }

  // ---------------------------------------------------------------------------------------------
  // Pieces.

  /** Rows of the embedding table for integer ids of any shape: {@code [..., E]}. */
  private NDArray embed(Parameter table, NDArray ids) {
    NDArray wide = ids.toType(DataType.INT64, false);
    return Embedding.embedding(wide, array(table), SparseFormat.DENSE).singletonOrThrow();
  }

  /** {@code top Wᵀ + bias}. */
  private NDArray project(NDArray top) {
    return Linear.linear(top, projectionArray(), array(projectionBias)).singletonOrThrow();
  }

  /** W of the projection: {@code projection.weight}, or the target embedding when tied. */
  private NDArray projectionArray() {
    return array(projectionWeight == null ? targetEmbedding : projectionWeight);
  }

  private NDArray dropout(NDArray x, boolean training) {
    if (!training || config.dropout() == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, config.dropout(), true).singletonOrThrow();
  }

  /** Checks a [rows, steps] integer id array whose ids lie in the vocabulary. */
  private void checkIds(String name, NDArray ids) {
    Shape s = ids.getShape();
    if (s.dimension() != 2 || s.get(0) < 1 || s.get(1) < 1) {
      throw new IllegalArgumentException(
          name + " must be [batch, steps] with both at least 1, got " + s);
    }
    if (!ids.getDataType().isInteger()) {
      throw new IllegalArgumentException(name + " must hold integer ids, got " + ids.getDataType());
    }
    long low;
    long high;
    try (NDArray min = ids.min();
        NDArray max = ids.max();
        NDArray minWide = min.toType(DataType.INT64, true);
        NDArray maxWide = max.toType(DataType.INT64, true)) {
      low = minWide.getLong();
      high = maxWide.getLong();
    }
    if (low < 0 || high >= config.vocabularySize()) {
      throw new IllegalArgumentException(
          name
              + " must lie in the vocabulary [0, "
              + config.vocabularySize()
              + "), got ids from "
              + low
              + " to "
              + high);
    }
  }

  private void checkTokens(String name, int[] ids) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= config.vocabularySize()) {
        throw new IllegalArgumentException(
            name
                + "["
                + i
                + "] = "
                + ids[i]
                + " is outside the vocabulary [0, "
                + config.vocabularySize()
                + ")");
      }
    }
  }

  /** DJL entry point. Inputs: sources {@code [B, S]}, source lengths {@code [B]}, target inputs. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    int[] lengths = inputs.get(1).toType(DataType.INT32, false).toIntArray();
    Output out = forward(inputs.get(0), lengths, inputs.get(2), training);
    return new NDList(out.logits(), out.attention());
  }

  /** Output shapes for DJL: the logits {@code [B, T, V]} and the weights {@code [B, T, S]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    Shape y = inputShapes[2];
    return new Shape[] {
      new Shape(y.get(0), y.get(1), config.vocabularySize()),
      new Shape(y.get(0), y.get(1), x.get(1))
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Description and weights.

  /**
   * The parameters by PyTorch name (see the class comment), in initialization order; the live
   * arrays.
   *
   * @throws IllegalStateException when the model is not initialized
   */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    if (config.sharedEmbedding()) {
      out.put("embedding.weight", array(sourceEmbedding));
    } else {
      out.put("source_embedding.weight", array(sourceEmbedding));
      out.put("target_embedding.weight", array(targetEmbedding));
    }
    StateDicts.putAll(out, "encoder.", encoder.stateDict());
    StateDicts.putAll(out, "decoder.", decoder.stateDict());
    if (projectionWeight != null) {
      out.put("projection.weight", array(projectionWeight));
    }
    out.put("projection.bias", array(projectionBias));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Copies {@code weights} (a state dict with the names of {@link #stateDict}, from seq4j or from
   * PyTorch) into the parameters, converting to their data type.
   *
   * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
   */
  public void loadStateDict(Map<String, NDArray> weights) {
    StateDicts.copy(weights, stateDict(), "GNMT");
  }

  private static NDArray array(Parameter p) {
    return StateDicts.array(p, "the GNMT is not initialized: call initialize");
  }

  /** The data type of the weights. */
  public DataType dataType() {
    return array(projectionBias).getDataType();
  }

  /** The shape this model was built from. */
  public GnmtConfig config() {
    return config;
  }

  /** The number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (NDArray p : stateDict().values()) {
      n += p.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return config.describe();
  }
}
