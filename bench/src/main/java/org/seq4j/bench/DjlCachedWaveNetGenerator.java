package org.seq4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.seq4j.wavenet.Sampler;
import org.seq4j.wavenet.WaveNetConfig;

/**
 * Fast WaveNet generation (Paine et al. 2016) the way a DJL user would write it: the same per-layer
 * queues as {@link org.seq4j.wavenet.WaveNetGenerator}, but every step of every layer is a few
 * {@link NDArray} calls into libtorch rather than a plain-Java kernel. Per sample:
 *
 * <ul>
 *   <li>the input convolution: the one-hot of the last {@code inputKernel} classes, one {@code
 *       linear};
 *   <li>per layer: the taps from the layer's queue and the current input concatenated, one {@code
 *       linear} for filter and gate together, {@code split}, {@code tanh}, {@code sigmoid}, their
 *       product, a {@code linear} and an {@code add} for the skip sum and the same for the
 *       residual; the current input enters the queue;
 *   <li>the head: {@code relu}, {@code linear}, {@code relu}, {@code linear}; the logits are copied
 *       to Java and drawn from with {@link Sampler}, each clip with {@link Sampler#clipRandom}, as
 *       {@code WaveNetGenerator} does, so seeded runs give the same samples.
 * </ul>
 *
 * <p>The queues are rings of arrays: an array enters when it is a layer's current input and is
 * closed when it leaves. Everything else a sample creates lives in a child manager closed at the
 * end of that sample. Unconditioned networks only. It is the benchmark's {@code djl-fast}
 * implementation.
 */
public final class DjlCachedWaveNetGenerator implements AutoCloseable {
  private final WaveNetConfig config;
  private final NDManager manager;
  private final Sampler sampler;
  private final int classes;
  private final int kernel;
  private final int inputKernel;
  private final int[] dilations;
  private final NDArray inputWeight; // [R, inputKernel·Q], tap-major
  private final NDArray inputBias;
  private final NDArray[] gateWeight; // [2D, kernel·R], tap-major; filter rows, then gate rows
  private final NDArray[] gateBias; // [2D]
  private final NDArray[] residualWeight; // [R, D]
  private final NDArray[] residualBias;
  private final NDArray[] skipWeight; // [S, D]
  private final NDArray[] skipBias;
  private final NDArray head1Weight;
  private final NDArray head1Bias;
  private final NDArray head2Weight;
  private final NDArray head2Bias;

  /**
   * Copies the weights of {@code config}'s network from {@code stateDict} (names and layouts of
   * {@link WaveNetConfig}) into a child of {@code parent}, laid out for per-sample products.
   *
   * @throws IllegalArgumentException if the network is conditioned or a tensor is missing
   */
  public DjlCachedWaveNetGenerator(
      WaveNetConfig config, Map<String, NDArray> stateDict, NDManager parent) {
    if (config.hasGlobalConditioning() || config.hasLocalConditioning()) {
      throw new IllegalArgumentException("config: unconditioned networks only");
    }
    this.config = config;
    this.manager = parent.newSubManager();
    this.sampler = new Sampler(config.classes());
    classes = config.classes();
    kernel = config.kernelSize();
    inputKernel = config.inputKernel();
    dilations = config.dilations();
    int layers = config.layers();
    int r = config.residualChannels();
    int d = config.dilationChannels();
    inputWeight = tapMajor(copy(stateDict, "input.weight"));
    inputBias = copy(stateDict, "input.bias");
    gateWeight = new NDArray[layers];
    gateBias = new NDArray[layers];
    residualWeight = new NDArray[layers];
    residualBias = new NDArray[layers];
    skipWeight = new NDArray[layers];
    skipBias = new NDArray[layers];
    for (int i = 0; i < layers; i++) {
      String p = "layers." + i + ".";
      NDArray both =
          NDArrays.concat(
              new NDList(copy(stateDict, p + "filter.weight"), copy(stateDict, p + "gate.weight")),
              0);
      gateWeight[i] = tapMajor(both);
      gateBias[i] =
          NDArrays.concat(
              new NDList(copy(stateDict, p + "filter.bias"), copy(stateDict, p + "gate.bias")), 0);
      residualWeight[i] = copy(stateDict, p + "residual.weight").reshape(r, d);
      residualBias[i] = copy(stateDict, p + "residual.bias");
      skipWeight[i] = copy(stateDict, p + "skip.weight").reshape(config.skipChannels(), d);
      skipBias[i] = copy(stateDict, p + "skip.bias");
    }
    int s = config.skipChannels();
    head1Weight = copy(stateDict, "head.conv1.weight").reshape(s, s);
    head1Bias = copy(stateDict, "head.conv1.bias");
    head2Weight = copy(stateDict, "head.conv2.weight").reshape(classes, s);
    head2Bias = copy(stateDict, "head.conv2.bias");
  }

  /** A copy of {@code stateDict.get(name)} in this generator's manager. */
  private NDArray copy(Map<String, NDArray> stateDict, String name) {
    NDArray source = stateDict.get(name);
    if (source == null) {
      throw new IllegalArgumentException("state dict: missing " + name);
    }
    return manager.create(source.toFloatArray(), source.getShape());
  }

  /** A convolution weight {@code [out, in, k]} as {@code [out, k·in]}, tap-major. */
  private static NDArray tapMajor(NDArray weight) {
    Shape s = weight.getShape();
    return weight.transpose(0, 2, 1).reshape(s.get(0), s.get(1) * s.get(2));
  }

  /** The network's shape. */
  public WaveNetConfig config() {
    return config;
  }

  /**
   * Generates {@code batch} clips of {@code samples} classes each, each primed with one silence
   * input (the middle class), with the conventions of {@link
   * org.seq4j.wavenet.WaveNetGenerator#generate(int, int, float, long)}.
   *
   * @param temperature softmax temperature; ≤ {@link Sampler#GREEDY} for the arg max
   * @return {@code [batch][samples]} classes
   */
  public int[][] generate(int samples, int batch, float temperature, long seed) {
    if (samples < 0 || batch < 1) {
      throw new IllegalArgumentException("need samples >= 0 and batch >= 1");
    }
    int[][] out = new int[batch][samples];
    SplittableRandom[] random = new SplittableRandom[batch];
    int[] next = new int[batch];
    for (int c = 0; c < batch; c++) {
      random[c] = Sampler.clipRandom(seed, c);
      next[c] = classes / 2;
    }
    try (Stream stream = new Stream(batch)) {
      for (int s = 0; s < samples; s++) {
        float[] logits = stream.feed(next);
        for (int c = 0; c < batch; c++) {
          next[c] = sampler.sample(logits, c * classes, temperature, random[c]);
          out[c][s] = next[c];
        }
      }
    }
    return out;
  }

  /**
   * Teacher-forced logits: row {@code t} of clip {@code c} comes from feeding {@code
   * inputs[c][0..t]} and predicts {@code inputs[c][t + 1]}.
   *
   * @param inputs {@code [batch][T]} classes, all rows of the same length
   * @return {@code [batch][T][classes]}
   */
  public float[][][] logits(int[][] inputs) {
    int batch = inputs.length;
    int steps = inputs[0].length;
    float[][][] out = new float[batch][steps][classes];
    int[] x = new int[batch];
    try (Stream stream = new Stream(batch)) {
      for (int t = 0; t < steps; t++) {
        for (int c = 0; c < batch; c++) {
          x[c] = inputs[c][t];
        }
        float[] logits = stream.feed(x);
        for (int c = 0; c < batch; c++) {
          System.arraycopy(logits, c * classes, out[c][t], 0, classes);
        }
      }
    }
    return out;
  }

  /** Frees the weights. */
  @Override
  public void close() {
    manager.close();
  }

  /** The queues and recent inputs of a batch of clips being generated. */
  private final class Stream implements AutoCloseable {
    private final int batch;
    private final NDManager queued;
    private final NDArray zero;
    private final NDArray[][] rings; // per layer, (kernel − 1)·d past inputs [B, R]
    private final int[] heads; // per layer, the slot of the oldest input
    private final int[] history; // [clip][inputKernel] past classes, -1 before the start

    Stream(int batch) {
      this.batch = batch;
      queued = manager.newSubManager();
      zero = queued.zeros(new Shape(batch, config.residualChannels()));
      rings = new NDArray[dilations.length][];
      heads = new int[dilations.length];
      for (int i = 0; i < dilations.length; i++) {
        rings[i] = new NDArray[(kernel - 1) * dilations[i]];
        Arrays.fill(rings[i], zero);
      }
      history = new int[batch * inputKernel];
      Arrays.fill(history, -1);
    }

    /** Feeds one class per clip; returns the logits {@code [batch · classes]}, clip-major. */
    float[] feed(int[] input) {
      try (NDManager step = manager.newSubManager()) {
        NDArray h = Linear.linear(oneHot(step, input), inputWeight, inputBias).singletonOrThrow();
        NDArray skip = null;
        int last = dilations.length - 1;
        for (int i = 0; i <= last; i++) {
          NDArray[] ring = rings[i];
          NDList taps = new NDList(kernel);
          for (int j = 0; j < kernel - 1; j++) {
            taps.add(ring[(heads[i] + j * dilations[i]) % ring.length]);
          }
          taps.add(h);
          NDArray x = h;
          if (kernel > 1) {
            // An op's result goes to its first operand's manager, here the queue's: move it.
            x = NDArrays.concat(taps, 1);
            x.attach(step);
          }
          NDList fg = Linear.linear(x, gateWeight[i], gateBias[i]).singletonOrThrow().split(2, 1);
          NDArray z = fg.get(0).tanh().mul(Activation.sigmoid(fg.get(1)));
          NDArray s = Linear.linear(z, skipWeight[i], skipBias[i]).singletonOrThrow();
          skip = skip == null ? s : skip.add(s);
          NDArray next =
              i < last
                  ? h.add(Linear.linear(z, residualWeight[i], residualBias[i]).singletonOrThrow())
                  : null;
          if (ring.length > 0) {
            NDArray oldest = ring[heads[i]];
            h.attach(queued);
            ring[heads[i]] = h;
            heads[i] = (heads[i] + 1) % ring.length;
            if (oldest != zero) {
              oldest.close();
            }
          }
          h = next;
        }
        NDArray hidden =
            Linear.linear(Activation.relu(skip), head1Weight, head1Bias).singletonOrThrow();
        return Linear.linear(Activation.relu(hidden), head2Weight, head2Bias)
            .singletonOrThrow()
            .toFloatArray();
      }
    }

    /** The one-hot of each clip's last {@code inputKernel} classes, {@code [B, inputKernel·Q]}. */
    private NDArray oneHot(NDManager step, int[] input) {
      float[] x = new float[batch * inputKernel * classes];
      for (int c = 0; c < batch; c++) {
        int h = c * inputKernel;
        System.arraycopy(history, h + 1, history, h, inputKernel - 1);
        history[h + inputKernel - 1] = input[c];
        for (int tap = 0; tap < inputKernel; tap++) {
          if (history[h + tap] >= 0) {
            x[(h + tap) * classes + history[h + tap]] = 1f;
          }
        }
      }
      return step.create(x, new Shape(batch, (long) inputKernel * classes));
    }

    @Override
    public void close() {
      queued.close();
    }
  }
}
