package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seq4j.nn.CausalConv1d;
import org.seq4j.nn.ForwardBlock;
import org.seq4j.nn.Losses;
import org.seq4j.nn.StateDicts;

/**
 * WaveNet (van den Oord et al. 2016) as a DJL block, built from a {@link WaveNetConfig}, whose
 * Javadoc gives the equations and the parameter names: a causal input convolution on the one-hot
 * μ-law input, a stack of {@link GatedResidualLayer}s whose skip outputs are summed, and the head
 * ReLU → 1×1 → ReLU → 1×1 to {@code classes} logits. Optional global conditioning (an embedding of
 * an id, such as a speaker) and local conditioning (features every {@code hop} samples, upsampled
 * by repetition or a transposed convolution) enter both gates of every layer.
 *
 * <pre>{@code
 * WaveNet net = new WaveNet(WaveNetConfig.stacked(2, 8, 32, 32, 128));
 * net.initialize(manager);
 * NDArray logits = net.logits(classes, null, null, false);  // [B, 256, T]: t predicts t + 1
 * NDArray loss = net.loss(window, null, null, true);         // scored where the field is full
 * }</pre>
 *
 * <p>Tensors are NCW as in PyTorch. The parameters keep PyTorch's names and layouts ({@link
 * #stateDict}), so a state dict saved from the equivalent {@code torch.nn.Module} loads with {@link
 * #loadStateDict}, and {@link org.seq4j.io.Checkpoint} saves and restores it. Initialization
 * follows PyTorch's defaults ({@code Conv1d}, {@code ConvTranspose1d} and {@code Linear}: U(±1/√
 * fan_in); {@code Embedding}: N(0, 1)) in the order of {@link #stateDict}.
 *
 * <p>The last layer's {@code residual} convolution is part of the names (every layer has the same
 * parameters) but nothing reads its output, so it is not computed and its gradient is zero.
 *
 * <p>Every array a call creates lives in the manager of the input, never in the weights' manager;
 * run training steps inside {@link org.seq4j.engine.Steps#run}.
 */
public final class WaveNet extends ForwardBlock {
  private final WaveNetConfig config;
  private final CausalConv1d input;
  private final Parameter globalEmbedding;
  private final Parameter upsampleWeight;
  private final Parameter upsampleBias;
  private final List<GatedResidualLayer> layers = new ArrayList<>();
  private final CausalConv1d headConv1;
  private final CausalConv1d headConv2;

  /**
   * A WaveNet of the given shape; call {@link #initialize} before use.
   *
   * @param config the shape, conditioning and dilations
   */
  public WaveNet(WaveNetConfig config) {
    this.config = config;
    int q = config.classes();
    int r = config.residualChannels();
    int s = config.skipChannels();
    input = addChildBlock("input", new CausalConv1d(q, r, config.inputKernel(), 1));
    if (config.hasGlobalConditioning()) {
      globalEmbedding =
          addParameter(
              Parameter.builder()
                  .setName("global_embedding.weight")
                  .setType(Parameter.Type.WEIGHT)
                  .optShape(new Shape(config.globalClasses(), config.globalEmbedding()))
                  .optInitializer(new NormalInitializer(1f))
                  .build());
    } else {
      globalEmbedding = null;
    }
    if (config.hasLocalConditioning()
        && config.upsampling() == WaveNetConfig.Upsampling.TRANSPOSED) {
      int l = config.localChannels();
      // torch.nn.ConvTranspose1d(L, L, hop, stride=hop): weight [in, out, k], fan_in = out · k.
      float bound = (float) (1 / Math.sqrt((double) l * config.hop()));
      upsampleWeight =
          addParameter(
              StateDicts.uniform(
                  "upsample.weight", Parameter.Type.WEIGHT, new Shape(l, l, config.hop()), bound));
      upsampleBias =
          addParameter(
              StateDicts.uniform("upsample.bias", Parameter.Type.BIAS, new Shape(l), bound));
    } else {
      upsampleWeight = null;
      upsampleBias = null;
    }
    for (int i = 0; i < config.layers(); i++) {
      layers.add(
          addChildBlock(
              "layers." + i,
              new GatedResidualLayer(
                  r,
                  config.dilationChannels(),
                  s,
                  config.kernelSize(),
                  config.dilation(i),
                  config.globalEmbedding(),
                  config.localChannels())));
    }
    headConv1 = addChildBlock("head.conv1", new CausalConv1d(s, s, 1, 1));
    headConv2 = addChildBlock("head.conv2", new CausalConv1d(s, q, 1, 1));
  }

  /** Initializes the parameters in float32 with PyTorch's defaults, from libtorch's generator. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32);
  }

  /**
   * Like {@link #initialize(NDManager)}, in {@code type} (FLOAT32, or FLOAT64 for checks). The
   * draws follow the order of {@link #stateDict}, which is the order in which the equivalent
   * PyTorch module creates its submodules.
   */
  public void initialize(NDManager manager, DataType type) {
    input.initialize(manager, type);
    StateDicts.initialize(
        manager, type, Arrays.asList(globalEmbedding, upsampleWeight, upsampleBias));
    for (GatedResidualLayer layer : layers) {
      layer.initialize(manager, type);
    }
    headConv1.initialize(manager, type);
    headConv2.initialize(manager, type);
  }

  /** DJL's initialization; input shapes are not needed, every parameter's shape is known. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    initialize(manager, dataType);
  }

  // ---------------------------------------------------------------------------------------------
  // Forward.

  /**
   * The logits of the next sample at every time step, with causal padding: the logit at {@code t}
   * sees the inputs at {@code t − receptiveField() + 1, …, t} (zeros before time 0) and predicts
   * the class at {@code t + 1}.
   *
   * @param classes the μ-law classes {@code [B, T]}, integers in {@code [0, classes)}
   * @param globalIds the global conditioning ids {@code [B]}, integers in {@code [0,
   *     globalClasses)}; null exactly when the network has no global conditioning
   * @param localFeatures the local conditioning features {@code [B, L, T / hop]} (frame {@code f}
   *     covers samples {@code f·hop, …, f·hop + hop − 1}); null exactly when the network has no
   *     local conditioning
   * @param training whether this is a training pass; WaveNet has no dropout, so the result is the
   *     same either way
   * @return the logits {@code [B, classes, T]}
   * @throws IllegalArgumentException naming the argument that does not fit: a class or id out of
   *     range, a wrong rank, shape or type, a missing or unexpected conditioning, or {@code frames
   *     · hop ≠ T}
   */
  public NDArray logits(
      NDArray classes, NDArray globalIds, NDArray localFeatures, boolean training) {
    checkClasses(classes);
    NDArray oneHot = oneHot(classes);
    NDArray logits = logitsOfOneHot(oneHot, globalIds, localFeatures);
    oneHot.close();
    return logits;
  }

  /**
   * Like {@link #logits}, on a one-hot (or any real-valued) input {@code [B, classes, T]} of the
   * weights' data type, so that gradients with respect to the input can be taken.
   *
   * @throws IllegalArgumentException as {@link #logits}
   */
  public NDArray logitsOfOneHot(NDArray oneHot, NDArray globalIds, NDArray localFeatures) {
    Shape s = oneHot.getShape();
    if (s.dimension() != 3 || s.get(1) != config.classes()) {
      throw new IllegalArgumentException(
          "oneHot must be [batch, " + config.classes() + ", time], got " + s);
    }
    if (oneHot.getDataType() != dataType()) {
      throw new IllegalArgumentException(
          "oneHot has data type " + oneHot.getDataType() + " but the weights have " + dataType());
    }
    long batch = s.get(0);
    long time = s.get(2);
    NDArray global = globalVector(globalIds, batch);
    NDArray local = localAtSampleRate(localFeatures, batch, time);
    return head(skipSum(oneHot, global, local, true));
  }

  /**
   * Like {@link #logits}, with the local conditioning already at the sample rate: {@code [B, L,
   * T]}, one feature vector per input (as {@link #upsample} returns, or as a {@link
   * LocalConditioning} gives the fast generator). A window of the upsampled features gives the same
   * logits as the whole, which is what sample-by-sample generation needs.
   *
   * @throws IllegalArgumentException as {@link #logits}, or if {@code localSamples} is not {@code
   *     [B, L, T]} of the weights' type
   */
  public NDArray logitsAtSampleRate(NDArray classes, NDArray globalIds, NDArray localSamples) {
    checkClasses(classes);
    long batch = classes.getShape().get(0);
    long time = classes.getShape().get(1);
    if (!config.hasLocalConditioning()) {
      if (localSamples != null) {
        throw new IllegalArgumentException("localSamples: this WaveNet has no local conditioning");
      }
    } else {
      Shape want = new Shape(batch, config.localChannels(), time);
      if (localSamples == null
          || !localSamples.getShape().equals(want)
          || localSamples.getDataType() != dataType()) {
        throw new IllegalArgumentException(
            "localSamples must be "
                + want
                + " of "
                + dataType()
                + ", got "
                + (localSamples == null
                    ? "none"
                    : localSamples.getShape() + " of " + localSamples.getDataType()));
      }
    }
    NDArray global = globalVector(globalIds, batch);
    return head(skipSum(oneHot(classes), global, localSamples, true));
  }

  /**
   * The training loss of a window: the mean cross-entropy, in nats, of the logit at {@code t}
   * against the class at {@code t + 1}, over the positions whose receptive field is full, {@code t
   * = receptiveField() − 1, …, T − 2}. Only those positions are computed: the convolutions run
   * without padding (each layer's output shrinks by its {@code (k−1)·d}), which gives the same
   * values as {@link #logits} there.
   *
   * @param classes the window {@code [B, T]}, with {@code T > receptiveField()}
   * @param globalIds as for {@link #logits}
   * @param localFeatures as for {@link #logits}, covering the whole window
   * @param training as for {@link #logits}
   * @return a scalar array
   * @throws IllegalArgumentException as {@link #logits}, or if the window is not longer than the
   *     receptive field
   */
  public NDArray loss(NDArray classes, NDArray globalIds, NDArray localFeatures, boolean training) {
    NDArray[] scored = scoredLogits(classes, globalIds, localFeatures);
    NDArray loss = Losses.crossEntropy(scored[0], scored[1], -1, 0f);
    Closing.close(scored);
    return loss;
  }

  /**
   * Like {@link #loss}, but the summed loss and the number of positions it counts, for exact
   * averages over many windows (validation NLL: divide by {@code count · ln 2} for bits per
   * sample).
   */
  public Losses.TokenSum lossSum(NDArray classes, NDArray globalIds, NDArray localFeatures) {
    NDArray[] scored = scoredLogits(classes, globalIds, localFeatures);
    Losses.TokenSum sum = Losses.crossEntropySum(scored[0], scored[1], -1, 0f);
    Closing.close(scored);
    return sum;
  }

  /**
   * {logits [B, T', Q], targets [B, T']} at the positions with a full receptive field, and the
   * arrays they are views of (for the caller to close once the loss is computed).
   */
  private NDArray[] scoredLogits(NDArray classes, NDArray globalIds, NDArray localFeatures) {
    checkClasses(classes);
    long batch = classes.getShape().get(0);
    long time = classes.getShape().get(1);
    long field = receptiveField();
    if (time <= field) {
      throw new IllegalArgumentException(
          "classes: a window of "
              + time
              + " samples scores nothing; it must be longer than the receptive field of "
              + field
              + " samples");
    }
    NDArray global = globalVector(globalIds, batch);
    NDArray local = localAtSampleRate(localFeatures, batch, time);
    // The last sample is only a target; the first field − 1 outputs are not scored.
    NDArray inputs = classes.get(new NDIndex(":, :{}", (int) (time - 1)));
    NDArray targets = classes.get(new NDIndex(":, {}:", (int) field));
    if (local != null) {
      local = local.get(new NDIndex(":, :, :{}", (int) (time - 1)));
    }
    NDArray oneHot = oneHot(inputs);
    NDArray logits = head(skipSum(oneHot, global, local, false));
    Closing.close(oneHot, inputs, local);
    return new NDArray[] {logits.transpose(0, 2, 1), targets, logits};
  }

  /**
   * The sum of the layers' skip outputs. Padded: as long as {@code x}. Unpadded: only the steps
   * whose receptive field lies inside {@code x}, {@code T − receptiveField() + 1} of them; each
   * layer then computes its skip output for those steps only, the only ones the sum reads.
   */
  private NDArray skipSum(NDArray x, NDArray global, NDArray local, boolean padded) {
    long outSteps =
        padded ? x.getShape().get(2) : x.getShape().get(2) - config.receptiveField() + 1;
    NDArray h = padded ? input.forward(x) : input.forwardValid(x);
    NDArray sum = null;
    for (int i = 0; i < layers.size(); i++) {
      long steps = h.getShape().get(2);
      NDArray c = local == null ? null : GatedResidualLayer.lastSteps(local, steps);
      boolean last = i == layers.size() - 1;
      GatedResidualLayer.Output out = layers.get(i).forward(h, global, c, padded, !last, outSteps);
      NDArray skip = out.skip();
      if (sum == null) {
        sum = skip;
      } else {
        NDArray next = sum.add(skip);
        // Free each array once nothing reads it (autograd keeps what its backward needs), as
        // Python's reference counting would: otherwise every layer's skip output and partial sum,
        // the widest arrays of the network, stay allocated until the step's manager closes.
        Closing.close(sum, skip);
        sum = next;
      }
      Closing.close(c == local ? null : c, h);
      h = out.residual();
    }
    return sum;
  }

  /** ReLU → 1×1 → ReLU → 1×1. */
  private NDArray head(NDArray skip) {
    NDArray a = Activation.relu(skip);
    NDArray b = headConv1.forward(a);
    NDArray c = Activation.relu(b);
    NDArray logits = headConv2.forward(c);
    Closing.close(skip, a, b, c);
    return logits;
  }

  /**
   * The one-hot encoding of {@code classes [B, T]}: {@code [B, classes, T]} in the weights' data
   * type. The classes are not range-checked here (an out-of-range class gives a zero column).
   */
  public NDArray oneHot(NDArray classes) {
    NDManager m = classes.getManager();
    NDArray wide = classes.toType(DataType.INT64, false);
    NDArray ids = wide.expandDims(1);
    NDArray range = m.arange(0, config.classes(), 1, DataType.INT64);
    NDArray levels = range.reshape(1, -1, 1);
    NDArray equal = ids.eq(levels);
    NDArray oneHot = equal.toType(dataType(), false);
    Closing.close(
        wide == classes ? null : wide, ids, range, levels, equal == oneHot ? null : equal);
    return oneHot;
  }

  /**
   * The global conditioning vectors of {@code ids [B]}: rows of {@code global_embedding.weight},
   * {@code [B, E]}.
   *
   * @throws IllegalArgumentException naming {@code globalIds} if the shape, type or range is wrong
   *     or the network has no global conditioning
   */
  public NDArray globalVector(NDArray globalIds, long batch) {
    if (!config.hasGlobalConditioning()) {
      if (globalIds != null) {
        throw new IllegalArgumentException("globalIds: this WaveNet has no global conditioning");
      }
      return null;
    }
    if (globalIds == null) {
      throw new IllegalArgumentException(
          "globalIds: this WaveNet is globally conditioned on "
              + config.globalClasses()
              + " ids; pass one per batch entry");
    }
    Shape s = globalIds.getShape();
    if (s.dimension() != 1 || s.get(0) != batch || !globalIds.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "globalIds must be integer ids ["
              + batch
              + "], got "
              + s
              + " of "
              + globalIds.getDataType());
    }
    checkRange("globalIds", globalIds, config.globalClasses());
    NDArray ids = globalIds.toType(DataType.INT64, false);
    return Embedding.embedding(ids, globalEmbedding.getArray(), SparseFormat.DENSE)
        .singletonOrThrow();
  }

  /**
   * Local conditioning features brought to the sample rate: {@code [B, L, F]} to {@code [B, L, F ·
   * hop]}, by repeating each frame {@code hop} times or by the transposed convolution {@code
   * upsample} (kernel and stride {@code hop}):
   *
   * <pre>
   *   c[b, o, f·hop + j] = upsample.bias[o] + Σ_i features[b, i, f] · upsample.weight[i, o, j]
   * </pre>
   *
   * <p>(frames do not overlap, so this is one matrix product per frame).
   *
   * @throws IllegalArgumentException naming {@code localFeatures} if the shape or type is wrong or
   *     the network has no local conditioning
   */
  public NDArray upsample(NDArray localFeatures) {
    if (!config.hasLocalConditioning()) {
      throw new IllegalArgumentException("localFeatures: this WaveNet has no local conditioning");
    }
    Shape s = localFeatures.getShape();
    if (s.dimension() != 3 || s.get(1) != config.localChannels()) {
      throw new IllegalArgumentException(
          "localFeatures must be [batch, " + config.localChannels() + ", frames], got " + s);
    }
    if (localFeatures.getDataType() != dataType()) {
      throw new IllegalArgumentException(
          "localFeatures has data type "
              + localFeatures.getDataType()
              + " but the weights have "
              + dataType());
    }
    long batch = s.get(0);
    long channels = s.get(1);
    long frames = s.get(2);
    int hop = config.hop();
    if (config.upsampling() == WaveNetConfig.Upsampling.REPEAT) {
      return localFeatures
          .expandDims(3)
          .broadcast(new Shape(batch, channels, frames, hop))
          .reshape(batch, channels, frames * hop);
    }
    NDManager m = localFeatures.getManager();
    // Views of the weights are created in the weights' manager; move them to the input's.
    NDArray weight = upsampleWeight.getArray().reshape(channels, channels * hop);
    weight.attach(m);
    NDArray bias = upsampleBias.getArray().reshape(channels, 1);
    bias.attach(m);
    return localFeatures
        .transpose(0, 2, 1)
        .matMul(weight) // [B, F, L·hop], (o, j) in row-major order
        .reshape(batch, frames, channels, hop)
        .transpose(0, 2, 1, 3)
        .reshape(batch, channels, frames * hop)
        .add(bias);
  }

  private NDArray localAtSampleRate(NDArray localFeatures, long batch, long time) {
    if (!config.hasLocalConditioning()) {
      if (localFeatures != null) {
        throw new IllegalArgumentException("localFeatures: this WaveNet has no local conditioning");
      }
      return null;
    }
    if (localFeatures == null) {
      throw new IllegalArgumentException(
          "localFeatures: this WaveNet is locally conditioned on "
              + config.localChannels()
              + " features every "
              + config.hop()
              + " samples; pass them");
    }
    Shape s = localFeatures.getShape();
    if (s.dimension() == 3 && s.get(0) != batch) {
      throw new IllegalArgumentException(
          "localFeatures has batch " + s.get(0) + " but the input has " + batch);
    }
    if (s.dimension() == 3 && s.get(2) * config.hop() != time) {
      throw new IllegalArgumentException(
          "localFeatures: "
              + s.get(2)
              + " frames × hop "
              + config.hop()
              + " = "
              + s.get(2) * config.hop()
              + " samples, but the input has "
              + time);
    }
    return upsample(localFeatures);
  }

  private void checkClasses(NDArray classes) {
    Shape s = classes.getShape();
    if (s.dimension() != 2) {
      throw new IllegalArgumentException("classes must be [batch, time], got " + s);
    }
    if (!classes.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "classes must hold integer class ids, got " + classes.getDataType());
    }
    if (s.get(0) < 1 || s.get(1) < 1) {
      throw new IllegalArgumentException("classes must not be empty, got " + s);
    }
    checkRange("classes", classes, config.classes());
  }

  private static void checkRange(String name, NDArray ids, int size) {
    long low;
    long high;
    try (NDArray min = ids.min();
        NDArray max = ids.max();
        NDArray minWide = min.toType(DataType.INT64, true);
        NDArray maxWide = max.toType(DataType.INT64, true)) {
      low = minWide.getLong();
      high = maxWide.getLong();
    }
    if (low < 0 || high >= size) {
      throw new IllegalArgumentException(
          name + " must lie in [0, " + size + "), got values from " + low + " to " + high);
    }
  }

  /** DJL entry point. Inputs: classes, then the global ids and the local features if used. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    int next = 1;
    NDArray ids = config.hasGlobalConditioning() ? inputs.get(next++) : null;
    NDArray local = config.hasLocalConditioning() ? inputs.get(next) : null;
    return new NDList(logits(inputs.get(0), ids, local, training));
  }

  /** Output shapes for DJL: {@code [B, classes, T]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), config.classes(), x.get(1))};
  }

  // ---------------------------------------------------------------------------------------------
  // Description and weights.

  /**
   * The parameters by the names of {@link WaveNetConfig} (PyTorch's names and layouts), in
   * initialization order; the live arrays.
   */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    StateDicts.putAll(out, "input.", input.stateDict());
    if (globalEmbedding != null) {
      out.put("global_embedding.weight", array(globalEmbedding));
    }
    if (upsampleWeight != null) {
      out.put("upsample.weight", array(upsampleWeight));
      out.put("upsample.bias", array(upsampleBias));
    }
    for (int i = 0; i < layers.size(); i++) {
      StateDicts.putAll(out, "layers." + i + ".", layers.get(i).stateDict());
    }
    StateDicts.putAll(out, "head.conv1.", headConv1.stateDict());
    StateDicts.putAll(out, "head.conv2.", headConv2.stateDict());
    return Collections.unmodifiableMap(out);
  }

  /**
   * Copies {@code weights} (a state dict with the names of {@link WaveNetConfig}, from seq4j or
   * from PyTorch) into the parameters, converting to their data type.
   *
   * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
   */
  public void loadStateDict(Map<String, NDArray> weights) {
    StateDicts.copy(weights, stateDict(), "WaveNet");
  }

  private static NDArray array(Parameter p) {
    return StateDicts.array(p, "the WaveNet is not initialized: call initialize");
  }

  /** The data type of the weights. */
  public DataType dataType() {
    return input.stateDict().get("weight").getDataType();
  }

  /** The shape this network was built from. */
  public WaveNetConfig config() {
    return config;
  }

  /** The samples one output sees, the current one included ({@link WaveNetConfig}). */
  public long receptiveField() {
    return config.receptiveField();
  }

  /** The layers, in order (read-only). */
  public List<GatedResidualLayer> layers() {
    return Collections.unmodifiableList(layers);
  }

  /** The number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (NDArray a : stateDict().values()) {
      n += a.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
