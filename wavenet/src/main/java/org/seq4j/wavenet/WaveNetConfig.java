package org.seq4j.wavenet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * The shape of a {@code WaveNet}: how many classes, how wide, which dilations, which conditioning.
 *
 * <p>The network (van den Oord et al. 2016, as in tensorflow-wavenet), on a one-hot μ-law input
 * {@code x} of {@code classes} channels:
 *
 * <pre>
 *   h      = input(x)                                       causal conv, kernel inputKernel
 *   layer i, dilation d_i:
 *     f    = tanh(filter_i *_d h + cond_f)                  causal dilated conv, kernel kernelSize
 *     g    = σ(gate_i *_d h + cond_g)
 *     z    = f ⊙ g
 *     skip += skip_i z                                      1×1
 *     h    = h + residual_i z                               1×1
 *   logits = head.conv2(relu(head.conv1(relu(skip))))       1×1, 1×1; logits at t predict x[t+1]
 * </pre>
 *
 * <p>Conditioning adds to both gates: global, an embedding of a class id through {@code
 * filter_global}/{@code gate_global}; local, features upsampled to the sample rate through 1×1
 * {@code filter_local}/{@code gate_local}.
 *
 * <p>Parameter names and layouts follow PyTorch ({@code Conv1d} weight {@code [out, in, k]}, tap
 * {@code k-1} at the current sample; {@code Linear} weight {@code [out, in]}):
 *
 * <ul>
 *   <li>{@code input.weight [R, Q, inputKernel]}, {@code input.bias [R]}
 *   <li>{@code layers.<i>.filter.weight [D, R, kernelSize]}, {@code layers.<i>.filter.bias [D]};
 *       likewise {@code layers.<i>.gate}
 *   <li>{@code layers.<i>.residual.weight [R, D, 1]}, {@code .bias [R]}; {@code
 *       layers.<i>.skip.weight [S, D, 1]}, {@code .bias [S]}
 *   <li>global: {@code global_embedding.weight [G, E]}, {@code layers.<i>.filter_global.weight [D,
 *       E]} and {@code layers.<i>.gate_global.weight [D, E]} (no bias)
 *   <li>local: {@code layers.<i>.filter_local.weight [D, L, 1]} and {@code
 *       layers.<i>.gate_local.weight [D, L, 1]} (no bias); with {@code Upsampling.TRANSPOSED},
 *       {@code upsample.weight [L, L, hop]} ({@code ConvTranspose1d}: {@code [in, out, k]}) and
 *       {@code upsample.bias [L]}
 *   <li>{@code head.conv1.weight [S, S, 1]}, {@code head.conv1.bias [S]}, {@code head.conv2.weight
 *       [Q, S, 1]}, {@code head.conv2.bias [Q]}
 * </ul>
 *
 * <p>with Q = {@code classes}, R = {@code residualChannels}, D = {@code dilationChannels}, S =
 * {@code skipChannels}, G = {@code globalClasses}, E = {@code globalEmbedding}, L = {@code
 * localChannels}.
 *
 * @param classes quantization levels of the input and output (256 for 8-bit μ-law)
 * @param residualChannels R, the width of the residual stream
 * @param dilationChannels D, the width of the gates
 * @param skipChannels S, the width of the skip sum and the head
 * @param kernelSize the taps of each dilated convolution (2 in the paper; any k ≥ 1)
 * @param inputKernel the taps of the input convolution (2 in tensorflow-wavenet)
 * @param dilations the dilation of each layer, in order
 * @param globalClasses G, the number of global conditioning ids (speakers); 0 for none
 * @param globalEmbedding E, the width of the global embedding; 0 for none
 * @param localChannels L, the width of local conditioning features; 0 for none
 * @param hop samples per local conditioning frame (the upsampling factor); 0 for none
 * @param upsampling how local features reach the sample rate
 */
public record WaveNetConfig(
    int classes,
    int residualChannels,
    int dilationChannels,
    int skipChannels,
    int kernelSize,
    int inputKernel,
    int[] dilations,
    int globalClasses,
    int globalEmbedding,
    int localChannels,
    int hop,
    Upsampling upsampling) {

  /** How local conditioning features are brought from the frame rate to the sample rate. */
  public enum Upsampling {
    /** Each frame repeated {@code hop} times. */
    REPEAT,
    /** A learned transposed convolution of kernel and stride {@code hop}. */
    TRANSPOSED
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public WaveNetConfig {
    positive("classes", classes);
    positive("residualChannels", residualChannels);
    positive("dilationChannels", dilationChannels);
    positive("skipChannels", skipChannels);
    positive("kernelSize", kernelSize);
    positive("inputKernel", inputKernel);
    if (dilations == null || dilations.length == 0) {
      throw new IllegalArgumentException("dilations: at least one layer is needed");
    }
    for (int d : dilations) {
      positive("dilations", d);
    }
    dilations = dilations.clone();
    if (globalClasses < 0 || globalEmbedding < 0 || (globalClasses > 0) != (globalEmbedding > 0)) {
      throw new IllegalArgumentException(
          "globalClasses and globalEmbedding: both positive or both 0, got "
              + globalClasses
              + " and "
              + globalEmbedding);
    }
    if (localChannels < 0 || hop < 0 || (localChannels > 0) != (hop > 0)) {
      throw new IllegalArgumentException(
          "localChannels and hop: both positive or both 0, got " + localChannels + " and " + hop);
    }
    if (localChannels > 0 && upsampling == null) {
      throw new IllegalArgumentException("upsampling: needed with local conditioning");
    }
  }

  /**
   * An unconditioned WaveNet of {@code stacks} repeats of dilations 1, 2, …, 2^(layersPerStack−1),
   * kernel 2 and input kernel 2, on 256 μ-law classes.
   */
  public static WaveNetConfig stacked(
      int stacks, int layersPerStack, int residual, int dilation, int skip) {
    positive("stacks", stacks);
    positive("layersPerStack", layersPerStack);
    if (layersPerStack > 30) {
      throw new IllegalArgumentException("layersPerStack: at most 30, got " + layersPerStack);
    }
    int[] dilations = new int[stacks * layersPerStack];
    for (int s = 0; s < stacks; s++) {
      for (int l = 0; l < layersPerStack; l++) {
        dilations[s * layersPerStack + l] = 1 << l;
      }
    }
    return new WaveNetConfig(256, residual, dilation, skip, 2, 2, dilations, 0, 0, 0, 0, null);
  }

  /** Model (a): tensorflow-wavenet's default, 5 stacks of 1…512, widths 32/32/512. */
  public static WaveNetConfig modelA() {
    return stacked(5, 10, 32, 32, 512);
  }

  /** Model (b): 16 layers (1…128 twice), widths 64/64/256. */
  public static WaveNetConfig modelB() {
    return stacked(2, 8, 64, 64, 256);
  }

  /**
   * The same network with global conditioning on {@code classes} ids, embedded in {@code width}.
   */
  public WaveNetConfig withGlobalConditioning(int ids, int width) {
    return withConditioning(ids, width, localChannels, hop, upsampling);
  }

  /** The same network with local conditioning on {@code channels} features every {@code hop}. */
  public WaveNetConfig withLocalConditioning(int channels, int hop, Upsampling upsampling) {
    return withConditioning(globalClasses, globalEmbedding, channels, hop, upsampling);
  }

  /** The same network with the given conditioning fields. */
  private WaveNetConfig withConditioning(
      int globalClasses, int globalEmbedding, int localChannels, int hop, Upsampling upsampling) {
    return new WaveNetConfig(
        classes,
        residualChannels,
        dilationChannels,
        skipChannels,
        kernelSize,
        inputKernel,
        dilations,
        globalClasses,
        globalEmbedding,
        localChannels,
        hop,
        upsampling);
  }

  /**
   * Writes the fields into {@code node} under their snake_case names ({@code classes}, {@code
   * residual_channels}, {@code dilations}, ...), as checkpoints store them.
   */
  public ObjectNode writeTo(ObjectNode node) {
    node.put("classes", classes);
    node.put("residual_channels", residualChannels);
    node.put("dilation_channels", dilationChannels);
    node.put("skip_channels", skipChannels);
    node.put("kernel_size", kernelSize);
    node.put("input_kernel", inputKernel);
    ArrayNode d = node.putArray("dilations");
    for (int x : dilations) {
      d.add(x);
    }
    node.put("global_classes", globalClasses);
    node.put("global_embedding", globalEmbedding);
    node.put("local_channels", localChannels);
    node.put("hop", hop);
    if (upsampling != null) {
      node.put("upsampling", upsampling.name().toLowerCase(Locale.ROOT));
    }
    return node;
  }

  /**
   * Reads the fields written by {@link #writeTo}.
   *
   * @throws IllegalArgumentException naming the first field that is missing or out of range
   */
  public static WaveNetConfig readFrom(JsonNode node) {
    for (String key :
        new String[] {
          "classes",
          "residual_channels",
          "dilation_channels",
          "skip_channels",
          "kernel_size",
          "input_kernel",
          "dilations"
        }) {
      if (!node.hasNonNull(key)) {
        throw new IllegalArgumentException("the WaveNet config has no '" + key + "'");
      }
    }
    JsonNode d = node.get("dilations");
    if (!d.isArray()) {
      throw new IllegalArgumentException("the WaveNet config's 'dilations' is not a list");
    }
    int[] dilations = new int[d.size()];
    for (int i = 0; i < dilations.length; i++) {
      dilations[i] = d.get(i).asInt();
    }
    Upsampling upsampling = null;
    if (node.hasNonNull("upsampling")) {
      String u = node.get("upsampling").asText().toUpperCase(Locale.ROOT);
      try {
        upsampling = Upsampling.valueOf(u);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the WaveNet config's upsampling '" + u + "' is not repeat or transposed", e);
      }
    }
    return new WaveNetConfig(
        node.get("classes").asInt(),
        node.get("residual_channels").asInt(),
        node.get("dilation_channels").asInt(),
        node.get("skip_channels").asInt(),
        node.get("kernel_size").asInt(),
        node.get("input_kernel").asInt(),
        dilations,
        node.path("global_classes").asInt(0),
        node.path("global_embedding").asInt(0),
        node.path("local_channels").asInt(0),
        node.path("hop").asInt(0),
        upsampling);
  }

  /** The number of gated residual layers. */
  public int layers() {
    return dilations.length;
  }

  /** The dilations, a copy. */
  @Override
  public int[] dilations() {
    return dilations.clone();
  }

  /** The dilation of layer {@code i}. */
  public int dilation(int i) {
    return dilations[i];
  }

  /**
   * The samples one output sees, the current one included: {@code (inputKernel − 1) + Σ_i
   * (kernelSize − 1)·d_i + 1}.
   */
  public long receptiveField() {
    long field = inputKernel;
    for (int d : dilations) {
      field += (long) (kernelSize - 1) * d;
    }
    return field;
  }

  /** Whether a global id conditions the gates. */
  public boolean hasGlobalConditioning() {
    return globalClasses > 0;
  }

  /** Whether local features condition the gates. */
  public boolean hasLocalConditioning() {
    return localChannels > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WaveNetConfig c
        && classes == c.classes
        && residualChannels == c.residualChannels
        && dilationChannels == c.dilationChannels
        && skipChannels == c.skipChannels
        && kernelSize == c.kernelSize
        && inputKernel == c.inputKernel
        && Arrays.equals(dilations, c.dilations)
        && globalClasses == c.globalClasses
        && globalEmbedding == c.globalEmbedding
        && localChannels == c.localChannels
        && hop == c.hop
        && upsampling == c.upsampling;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(dilations)
        + java.util.Objects.hash(
            classes,
            residualChannels,
            dilationChannels,
            skipChannels,
            kernelSize,
            inputKernel,
            globalClasses,
            globalEmbedding,
            localChannels,
            hop,
            upsampling);
  }

  @Override
  public String toString() {
    return "WaveNet "
        + layers()
        + " layers (dilations "
        + Arrays.toString(dilations)
        + "), residual "
        + residualChannels
        + ", dilation "
        + dilationChannels
        + ", skip "
        + skipChannels
        + ", kernel "
        + kernelSize
        + ", "
        + classes
        + " classes, receptive field "
        + receptiveField()
        + " samples";
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
  }
}
