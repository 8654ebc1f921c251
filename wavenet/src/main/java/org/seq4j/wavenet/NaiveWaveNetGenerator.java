package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Generation the naive way: for every new sample, the trained {@link WaveNet} block runs over the
 * last receptive field of inputs and only its last logit is used. It recomputes every layer over
 * the whole field each time, so it is the reference and the speed baseline of {@link
 * WaveNetGenerator}, whose conventions it follows: each clip starts from its priming inputs, output
 * sample {@code s} is drawn from the logits after the previous input, and each clip draws from
 * {@link Sampler#clipRandom}{@code (seed, clip)} with one {@link Sampler#sample} call per sample.
 * Seeded, both give the same samples.
 *
 * <p>Every sample runs in a child manager of the block's weights, closed at its end.
 */
public final class NaiveWaveNetGenerator {
  private final WaveNet net;
  private final Sampler sampler;
  private final NDManager manager;

  /**
   * A generator over an initialized {@code net}.
   *
   * @throws IllegalArgumentException if {@code net} has local conditioning, which this generator
   *     does not window yet
   */
  public NaiveWaveNetGenerator(WaveNet net) {
    if (net.config().hasLocalConditioning()) {
      throw new IllegalArgumentException(
          "net: naive generation supports global conditioning only, not local features");
    }
    this.net = net;
    this.sampler = new Sampler(net.config().classes());
    this.manager = net.stateDict().values().iterator().next().getManager();
  }

  /**
   * Continues each row of {@code priming} by {@code samples} classes.
   *
   * @param priming the first inputs of each clip, all rows of the same positive length
   * @param temperature softmax temperature; ≤ {@link Sampler#GREEDY} for the arg max
   * @param seed the seed of every clip's random stream
   * @param globalIds one id per clip, exactly when the network has global conditioning
   * @return {@code [batch][samples]} classes, the priming not included
   */
  public int[][] generate(
      int samples, int[][] priming, float temperature, long seed, int[] globalIds) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples: must be ≥ 0, got " + samples);
    }
    if (priming == null || priming.length == 0 || priming[0].length == 0) {
      throw new IllegalArgumentException("priming: at least one clip with one input is needed");
    }
    int batch = priming.length;
    int primed = priming[0].length;
    int[][] inputs = new int[batch][primed + samples];
    SplittableRandom[] random = new SplittableRandom[batch];
    for (int c = 0; c < batch; c++) {
      if (priming[c].length != primed) {
        throw new IllegalArgumentException("priming: rows of different lengths");
      }
      System.arraycopy(priming[c], 0, inputs[c], 0, primed);
      random[c] = Sampler.clipRandom(seed, c);
    }
    int classes = net.config().classes();
    int field = Math.toIntExact(net.receptiveField());
    int[][] out = new int[batch][samples];
    for (int s = 0; s < samples; s++) {
      int end = primed + s;
      int start = Math.max(0, end - field);
      int width = end - start;
      int[] window = new int[batch * width];
      for (int c = 0; c < batch; c++) {
        System.arraycopy(inputs[c], start, window, c * width, width);
      }
      float[] last;
      try (NDManager step = manager.newSubManager()) {
        NDArray x = step.create(window, new Shape(batch, width));
        NDArray ids = globalIds == null ? null : step.create(globalIds);
        last = net.logits(x, ids, null, false).get(":, :, -1").toFloatArray();
      }
      for (int c = 0; c < batch; c++) {
        out[c][s] = sampler.sample(last, c * classes, temperature, random[c]);
        inputs[c][end] = out[c][s];
      }
    }
    return out;
  }
}
