package org.seq4j.wavenet;

import static org.seq4j.wavenet.PackedMatrix.padded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WaveNet's weights read once from a state dict (names and layouts of {@link WaveNetConfig}) and
 * laid out for {@link GenerationStream}: padded to whole vectors, the dilated convolution's taps
 * and both gates packed into one matrix per layer, all matrices in one array in the order a step
 * reads them. Immutable; shared by all streams of a generator.
 */
final class GeneratorWeights {
  /**
   * Floats left unused at the start of the weight array. A large array starts at the beginning of a
   * G1 heap region, its floats 16 bytes (the array header) later; 12 more floats put the packed
   * rows on 64-byte cache-line boundaries, so that no 512-bit load spans two lines (measured: about
   * 7% faster for model (b) at batch 1). Elsewhere it costs 48 bytes.
   */
  private static final int ARENA_LEAD = 12;

  final WaveNetConfig config;
  final int classes;
  final int classesPadded;
  final int residual;
  final int residualPadded;
  final int gatesPadded; // D rounded up to vectors; filter and gate each take this many
  final int skipPadded;
  final int kernel;
  final int inputKernel;
  final int layers;
  final int[] dilations;
  final int localChannels;

  /** {@code input.weight} by column: [tap][class][residualPadded]. */
  final float[] inputColumns;

  final float[] inputBias;

  /** Per layer, the filter and gate biases: [layer][2·gatesPadded]. */
  final float[] gateBias;

  /** Per layer [D, E] filter then gate global projections, [layer][2·gatesPadded][E]; or null. */
  final float[] globalProjection;

  /** [G][E], or null. */
  final float[] globalEmbedding;

  final int globalClasses;
  final int globalWidth;

  /** The local 1×1 projections of every layer, L → [layer][2·gatesPadded]; or null. */
  final PackedMatrix local;

  /** Per layer: taps [k·residualPadded] → [filter | gate] [2·gatesPadded]. */
  final PackedMatrix[] gates;

  final PackedMatrix[] residuals;
  final float[][] residualBias;
  final PackedMatrix[] skips;
  final float[][] skipBias;
  final PackedMatrix head1;
  final float[] head1Bias;
  final PackedMatrix head2;
  final float[] head2Bias;

  /** Zeros, as wide as the widest output, for a kernel with no bias. */
  final float[] zeros;

  GeneratorWeights(WaveNetConfig config, Map<String, NDArray> dict) {
    if (dict == null) {
      throw new IllegalArgumentException("state dict: null");
    }
    this.config = config;
    classes = config.classes();
    classesPadded = padded(classes);
    residual = config.residualChannels();
    residualPadded = padded(residual);
    int d = config.dilationChannels();
    gatesPadded = padded(d);
    int s = config.skipChannels();
    skipPadded = padded(s);
    kernel = config.kernelSize();
    inputKernel = config.inputKernel();
    layers = config.layers();
    dilations = config.dilations();
    localChannels = config.localChannels();
    int rp = residualPadded;
    int dp = gatesPadded;

    float[] in = read(dict, "input.weight", residual, classes, inputKernel);
    inputColumns = new float[inputKernel * classes * rp];
    for (int tap = 0; tap < inputKernel; tap++) {
      for (int q = 0; q < classes; q++) {
        for (int c = 0; c < residual; c++) {
          inputColumns[(tap * classes + q) * rp + c] = in[(c * classes + q) * inputKernel + tap];
        }
      }
    }
    inputBias = pad(read(dict, "input.bias", residual), rp);

    globalClasses = config.globalClasses();
    globalWidth = config.globalEmbedding();
    globalEmbedding =
        config.hasGlobalConditioning()
            ? read(dict, "global_embedding.weight", globalClasses, globalWidth)
            : null;
    globalProjection = globalEmbedding == null ? null : new float[layers * 2 * dp * globalWidth];
    float[][] localWeights = new float[layers * 2][];

    List<PackedMatrix> order = new ArrayList<>();
    gates = new PackedMatrix[layers];
    residuals = new PackedMatrix[layers];
    residualBias = new float[layers][];
    skips = new PackedMatrix[layers];
    skipBias = new float[layers][];
    gateBias = new float[layers * 2 * dp];
    for (int i = 0; i < layers; i++) {
      String p = "layers." + i + ".";
      float[] filter = read(dict, p + "filter.weight", d, residual, kernel);
      float[] gate = read(dict, p + "gate.weight", d, residual, kernel);
      System.arraycopy(read(dict, p + "filter.bias", d), 0, gateBias, i * 2 * dp, d);
      System.arraycopy(read(dict, p + "gate.bias", d), 0, gateBias, i * 2 * dp + dp, d);
      gates[i] =
          PackedMatrix.pack(
              kernel * rp,
              2 * dp,
              (j, o) -> {
                int tap = j / rp;
                int c = j % rp;
                float[] w = o < dp ? filter : gate;
                int row = o < dp ? o : o - dp;
                return c < residual && row < d ? w[(row * residual + c) * kernel + tap] : 0f;
              });
      float[] skip = read(dict, p + "skip.weight", s, d, 1);
      skips[i] = PackedMatrix.pack(dp, skipPadded, (j, o) -> j < d && o < s ? skip[o * d + j] : 0f);
      skipBias[i] = pad(read(dict, p + "skip.bias", s), skipPadded);
      float[] res = read(dict, p + "residual.weight", residual, d, 1);
      residuals[i] =
          PackedMatrix.pack(dp, rp, (j, o) -> j < d && o < residual ? res[o * d + j] : 0);
      residualBias[i] = pad(read(dict, p + "residual.bias", residual), rp);
      order.add(gates[i]);
      order.add(skips[i]);
      if (i < layers - 1) { // the last layer's residual output reaches nothing
        order.add(residuals[i]);
      }
      if (globalProjection != null) {
        float[] fg = read(dict, p + "filter_global.weight", d, globalWidth);
        float[] gg = read(dict, p + "gate_global.weight", d, globalWidth);
        int e = globalWidth;
        System.arraycopy(fg, 0, globalProjection, i * 2 * dp * e, d * e);
        System.arraycopy(gg, 0, globalProjection, (i * 2 * dp + dp) * e, d * e);
      }
      if (localChannels > 0) {
        localWeights[2 * i] = read(dict, p + "filter_local.weight", d, localChannels, 1);
        localWeights[2 * i + 1] = read(dict, p + "gate_local.weight", d, localChannels, 1);
      }
    }
    PackedMatrix localPacked = null;
    if (localChannels > 0) {
      int width = 2 * dp;
      localPacked =
          PackedMatrix.pack(
              localChannels,
              layers * width,
              (j, o) -> {
                int i = o / width;
                int q = o % width;
                int row = q < dp ? q : q - dp;
                return row < d
                    ? localWeights[2 * i + (q < dp ? 0 : 1)][row * localChannels + j]
                    : 0f;
              });
      order.add(0, localPacked);
    }
    float[] w1 = read(dict, "head.conv1.weight", s, s, 1);
    PackedMatrix h1 =
        PackedMatrix.pack(skipPadded, skipPadded, (j, o) -> j < s && o < s ? w1[o * s + j] : 0);
    head1Bias = pad(read(dict, "head.conv1.bias", s), skipPadded);
    float[] w2 = read(dict, "head.conv2.weight", classes, s, 1);
    PackedMatrix h2 =
        PackedMatrix.pack(
            skipPadded, classesPadded, (j, o) -> j < s && o < classes ? w2[o * s + j] : 0);
    head2Bias = pad(read(dict, "head.conv2.bias", classes), classesPadded);
    order.add(h1);
    order.add(h2);
    zeros = new float[Math.max(layers * 2 * dp, Math.max(rp, Math.max(skipPadded, classesPadded)))];

    // One array in reading order, so that a step streams its weights front to back.
    Map<PackedMatrix, PackedMatrix> moved = inOneArray(order);
    for (int i = 0; i < layers; i++) {
      gates[i] = moved.get(gates[i]);
      skips[i] = moved.get(skips[i]);
      residuals[i] = moved.getOrDefault(residuals[i], residuals[i]);
    }
    local = localPacked == null ? null : moved.get(localPacked);
    head1 = moved.get(h1);
    head2 = moved.get(h2);
  }

  private static Map<PackedMatrix, PackedMatrix> inOneArray(List<PackedMatrix> order) {
    int total = 0;
    for (PackedMatrix m : order) {
      total += m.size();
    }
    float[] arena = new float[total + ARENA_LEAD];
    Map<PackedMatrix, PackedMatrix> moved = new IdentityHashMap<>();
    int at = ARENA_LEAD;
    for (PackedMatrix m : order) {
      moved.put(m, m.copyInto(arena, at));
      at += m.size();
    }
    return moved;
  }

  /**
   * The gate pre-activation bias of every layer for a clip with global id {@code id} (or none, -1):
   * [layer][2·gatesPadded] into {@code dst} from {@code off}.
   */
  void gateBase(int id, float[] dst, int off) {
    int width = layers * 2 * gatesPadded;
    System.arraycopy(gateBias, 0, dst, off, width);
    if (globalProjection == null || id < 0) {
      return;
    }
    int e = globalWidth;
    for (int o = 0; o < width; o++) {
      float sum = 0;
      for (int k = 0; k < e; k++) {
        sum += globalProjection[o * e + k] * globalEmbedding[id * e + k];
      }
      dst[off + o] += sum;
    }
  }

  private static float[] pad(float[] v, int length) {
    return Arrays.copyOf(v, length);
  }

  /** The tensor {@code name} as float32, after checking that it is there with {@code shape}. */
  static float[] read(Map<String, NDArray> dict, String name, long... shape) {
    NDArray a = dict.get(name);
    Shape want = new Shape(shape);
    if (a == null) {
      throw new IllegalArgumentException("state dict: no tensor " + name + " " + want);
    }
    if (!a.getShape().equals(want)) {
      throw new IllegalArgumentException(
          "state dict: " + name + " has shape " + a.getShape() + ", expected " + want);
    }
    if (a.getDataType() == DataType.FLOAT32) {
      return a.toFloatArray();
    }
    if (!a.getDataType().isFloating()) {
      throw new IllegalArgumentException(
          "state dict: " + name + " is " + a.getDataType() + ", expected floating point");
    }
    try (NDArray f = a.toType(DataType.FLOAT32, true)) {
      return f.toFloatArray();
    }
  }
}
