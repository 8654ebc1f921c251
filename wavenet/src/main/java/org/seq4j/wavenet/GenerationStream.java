package org.seq4j.wavenet;

import static org.seq4j.wavenet.PackedMatrix.LANES;
import static org.seq4j.wavenet.PackedMatrix.SPECIES;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * The state of a few clips being generated sample by sample: the Fast WaveNet algorithm (Paine et
 * al. 2016). Each layer keeps a queue (ring buffer) of its past inputs, {@code (kernel − 1)·d}
 * samples deep, so one step computes each layer's dilated convolution for the newest sample only:
 * O(layers) work per sample instead of O(receptive field).
 *
 * <p>A step, for every clip at once (the clip dimension inside each kernel, so each weight is
 * loaded once per pair of clips):
 *
 * <ol>
 *   <li>the input convolution on one-hot classes: a sum of columns of {@code input.weight};
 *   <li>per layer: the taps gathered from the queue; filter and gate pre-activations in one pass
 *       over their packed weights, on top of the per-clip bias (conv biases + global conditioning
 *       projection + local conditioning projection); {@code z = tanh(f)·σ(g)}; the skip 1×1
 *       accumulated into the skip sum; the residual 1×1 written as the next layer's input; the
 *       input pushed into the queue;
 *   <li>the head: ReLU, 1×1, ReLU, 1×1, giving logits that predict the next sample.
 * </ol>
 *
 * <p>Before the first sample every queue holds zeros and earlier input classes count as absent,
 * matching a full-sequence causal convolution with zero left padding. A stream allocates nothing
 * per step. It is not thread-safe; clips in different streams are independent.
 */
public final class GenerationStream {
  private final GeneratorWeights w;
  private final int rows;
  private final int[] clips;

  /** The most steps whose past-tap sums one pass over a layer's weights computes. */
  private static final int AHEAD = 16;

  private final float temperature;
  private final SplittableRandom[] randoms;
  private final Sampler sampler;
  private final LocalConditioning local;

  private final int rp;
  private final int gateWidth; // 2·gatesPadded
  private final int xStride; // kernel·rp
  private final int current; // offset of the newest tap in a layer input: (kernel − 1)·rp

  private final int[] history; // [row][inputKernel] past classes, -1 before the start
  private final float[][] queues; // [layer][row][(kernel − 1)·d][rp]
  private final int[] queueSize;
  private final int[] queueHead;
  private final float[][] inputs; // [layer][row][kernel·rp]: taps, the newest last
  private final float[] gateBase; // [row][layer][gateWidth]: biases and global conditioning
  private final float[] conditioned; // gateBase + local conditioning this step, or gateBase
  private final float[] localFeatures; // [row][L]
  private final float[] gates; // [row][gateWidth]
  private final float[] z; // [row][gatesPadded]
  private final float[] skip; // [row][skipPadded]
  private final float[] hidden; // [row][skipPadded]
  private final float[] logits; // [row][classesPadded]
  private final int[] ahead; // [layer]: steps whose past-tap sums one pass computes (1: none)
  private final float[][] past; // [layer][ahead][gateWidth]: those sums, base included
  private final float[] taps; // [AHEAD][rp]: the past taps of the next steps
  private final int[] used; // scratch of the sparse head: indices of non-zero inputs
  private final float[] values; // and their values
  private long step;
  private boolean hasLogits;

  /**
   * A stream over clips {@code clips[0..]} of a generation (their indices choose their random
   * streams, global ids and local features).
   */
  GenerationStream(
      GeneratorWeights weights,
      int[] clips,
      float temperature,
      long seed,
      int[] globalIds,
      LocalConditioning local) {
    this.w = weights;
    this.rows = clips.length;
    this.clips = clips.clone();
    this.temperature = temperature;
    this.local = local;
    this.sampler = new Sampler(w.classes);
    this.randoms = new SplittableRandom[rows];
    rp = w.residualPadded;
    gateWidth = 2 * w.gatesPadded;
    xStride = w.kernel * rp;
    current = (w.kernel - 1) * rp;
    history = new int[rows * w.inputKernel];
    Arrays.fill(history, -1);
    queues = new float[w.layers][];
    queueSize = new int[w.layers];
    queueHead = new int[w.layers];
    inputs = new float[w.layers][];
    for (int i = 0; i < w.layers; i++) {
      queueSize[i] = (w.kernel - 1) * w.dilations[i];
      queues[i] = new float[rows * queueSize[i] * rp];
      inputs[i] = new float[rows * xStride];
    }
    int baseWidth = w.layers * gateWidth;
    gateBase = new float[rows * baseWidth];
    for (int r = 0; r < rows; r++) {
      randoms[r] = Sampler.clipRandom(seed, clips[r]);
      w.gateBase(globalIds == null ? -1 : globalIds[clips[r]], gateBase, r * baseWidth);
    }
    conditioned = w.local == null ? gateBase : new float[rows * baseWidth];
    localFeatures = new float[Math.max(1, rows * w.localChannels)];
    gates = new float[rows * gateWidth];
    z = new float[rows * w.gatesPadded];
    skip = new float[rows * w.skipPadded];
    hidden = new float[rows * w.skipPadded];
    logits = new float[rows * w.classesPadded];
    // One clip, kernel 2, no local conditioning (its term changes every step): the past tap of a
    // layer of dilation d at steps t .. t + d − 1 is already in its queue at step t.
    ahead = new int[w.layers];
    past = new float[w.layers][];
    boolean early = rows == 1 && w.kernel == 2 && w.local == null;
    for (int i = 0; i < w.layers; i++) {
      ahead[i] = early ? Math.min(AHEAD, w.dilations[i]) : 1;
      past[i] = ahead[i] > 1 ? new float[ahead[i] * gateWidth] : null;
    }
    taps = new float[AHEAD * rp];
    used = new int[w.skipPadded];
    values = new float[w.skipPadded];
  }

  /** The clips in this stream. */
  public int batch() {
    return rows;
  }

  /** How many inputs have been fed. */
  public long position() {
    return step;
  }

  /**
   * Feeds one input class per clip and computes the logits that predict the next sample.
   *
   * @param classes the input of each clip, in {@code [0, classes)}
   */
  public void feed(int[] classes) {
    if (classes.length != rows) {
      throw new IllegalArgumentException("feed: " + classes.length + " classes for " + rows);
    }
    for (int r = 0; r < rows; r++) {
      if (classes[r] < 0 || classes[r] >= w.classes) {
        throw new IllegalArgumentException("feed: class " + classes[r] + " out of range");
      }
    }
    inputLayer(classes);
    float[] base = conditioned;
    int baseStride = w.layers * gateWidth;
    if (w.local != null) {
      for (int r = 0; r < rows; r++) {
        local.features(clips[r], step, localFeatures, r * w.localChannels);
      }
      w.local.apply(
          rows,
          localFeatures,
          0,
          w.localChannels,
          gateBase,
          0,
          baseStride,
          w.zeros,
          conditioned,
          0,
          baseStride);
    }
    int dp = w.gatesPadded;
    int sp = w.skipPadded;
    int last = w.layers - 1;
    for (int i = 0; i <= last; i++) {
      float[] x = inputs[i];
      int k = ahead[i];
      if (k > 1) {
        earlyGates(i, k, x, base);
      } else {
        gatherTaps(i, x);
        w.gates[i].apply(
            rows, x, 0, xStride, base, i * gateWidth, baseStride, w.zeros, gates, 0, gateWidth);
      }
      for (int r = 0; r < rows; r++) {
        VectorMath.gatedActivation(gates, r * gateWidth, dp, z, r * dp);
      }
      w.skips[i].apply(rows, z, 0, dp, i == 0 ? null : skip, 0, sp, w.skipBias[i], skip, 0, sp);
      if (i < last) {
        w.residuals[i].apply(
            rows,
            z,
            0,
            dp,
            x,
            current,
            xStride,
            w.residualBias[i],
            inputs[i + 1],
            current,
            xStride);
      }
      pushInput(i, x);
    }
    VectorMath.relu(skip, 0, rows * sp);
    int qp = w.classesPadded;
    if (rows == 1) {
      // One clip: no weight load to share between clips, so skip the rows of the inputs the
      // ReLUs zeroed instead (the same sums).
      w.head1.applySparse(skip, 0, w.head1Bias, hidden, 0, used, values);
      VectorMath.relu(hidden, 0, sp);
      w.head2.applySparse(hidden, 0, w.head2Bias, logits, 0, used, values);
    } else {
      w.head1.apply(rows, skip, 0, sp, null, 0, 0, w.head1Bias, hidden, 0, sp);
      VectorMath.relu(hidden, 0, rows * sp);
      w.head2.apply(rows, hidden, 0, sp, null, 0, 0, w.head2Bias, logits, 0, qp);
    }
    step++;
    hasLogits = true;
  }

  /** h = input.bias + Σ_tap input.weight[:, class(t − inputKernel + 1 + tap), tap]. */
  private void inputLayer(int[] classes) {
    int k = w.inputKernel;
    float[] x = inputs[0];
    for (int r = 0; r < rows; r++) {
      int h = r * k;
      System.arraycopy(history, h + 1, history, h, k - 1);
      history[h + k - 1] = classes[r];
      int dst = r * xStride + current;
      System.arraycopy(w.inputBias, 0, x, dst, rp);
      for (int tap = 0; tap < k; tap++) {
        int q = history[h + tap];
        if (q >= 0) {
          int column = (tap * w.classes + q) * rp;
          for (int o = 0; o < rp; o += LANES) {
            FloatVector.fromArray(SPECIES, x, dst + o)
                .add(FloatVector.fromArray(SPECIES, w.inputColumns, column + o))
                .intoArray(x, dst + o);
          }
        }
      }
    }
  }

  /**
   * The gate pre-activations of layer {@code i} (kernel 2, one clip) with its past-tap half of the
   * weights read once per {@code k} steps instead of every step: a sample at batch 1 is limited by
   * how many weights it reads. Every {@code k}-th step computes {@code base + W_past·x(t + q − d)}
   * for {@code q < k ≤ d}, taps already in the queue, as {@code k} rows of one pass; each step then
   * adds {@code W_current·x(t)} to its row. The sums run in the order of one pass over all inputs,
   * so the result is the same.
   */
  private void earlyGates(int i, int k, float[] x, float[] base) {
    int phase = (int) (step % k);
    float[] sums = past[i];
    if (phase == 0) {
      int size = queueSize[i];
      float[] queue = queues[i];
      int slot = queueHead[i]; // x(t − d), the oldest input
      for (int q = 0; q < k; q++) {
        System.arraycopy(queue, slot * rp, taps, q * rp, rp);
        slot = slot + 1 == size ? 0 : slot + 1;
      }
      w.gates[i].apply(k, taps, 0, rp, base, i * gateWidth, 0, w.zeros, sums, 0, gateWidth, 0, rp);
    }
    w.gates[i].apply(
        1, x, 0, xStride, sums, phase * gateWidth, 0, w.zeros, gates, 0, gateWidth, rp, rp);
  }

  /** Copies the past taps of layer {@code i}, x(t − (kernel − 1 − j)·d), into its input. */
  private void gatherTaps(int i, float[] x) {
    int size = queueSize[i];
    if (size == 0) {
      return;
    }
    float[] queue = queues[i];
    int d = w.dilations[i];
    int head = queueHead[i];
    for (int j = 0; j < w.kernel - 1; j++) {
      int slot = head - (w.kernel - 1 - j) * d;
      if (slot < 0) {
        slot += size;
      }
      for (int r = 0; r < rows; r++) {
        System.arraycopy(queue, (r * size + slot) * rp, x, r * xStride + j * rp, rp);
      }
    }
  }

  /** Stores layer {@code i}'s newest input in its queue, over the oldest. */
  private void pushInput(int i, float[] x) {
    int size = queueSize[i];
    if (size == 0) {
      return;
    }
    int head = queueHead[i];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x, r * xStride + current, queues[i], (r * size + head) * rp, rp);
    }
    queueHead[i] = head + 1 == size ? 0 : head + 1;
  }

  /**
   * Draws the next sample of every clip from the current logits (each clip with its own random
   * stream), without feeding it.
   *
   * @param out one class per clip
   * @throws IllegalStateException before the first {@link #feed}
   */
  public void sample(int[] out) {
    requireLogits();
    for (int r = 0; r < rows; r++) {
      out[r] = sampler.sample(logits, r * w.classesPadded, temperature, randoms[r]);
    }
  }

  /** Copies the current logits of clip {@code row} (its index in this stream) into {@code dst}. */
  public void logits(int row, float[] dst, int offset) {
    requireLogits();
    System.arraycopy(logits, row * w.classesPadded, dst, offset, w.classes);
  }

  private void requireLogits() {
    if (!hasLogits) {
      throw new IllegalStateException("no logits yet: feed an input first");
    }
  }
}
