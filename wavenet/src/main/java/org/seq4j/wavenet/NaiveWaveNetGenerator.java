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

  /** A generator over an initialized {@code net}. */
  public NaiveWaveNetGenerator(WaveNet net) {
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
    return generate(samples, priming, temperature, seed, globalIds, null);
  }

  /**
   * Continues each row of {@code priming} by {@code samples} classes, with local conditioning at
   * the sample rate: the window of each sample gets the features of its input steps (priming
   * included), as the fast generator reads them.
   *
   * @param local the features, exactly when the network has local conditioning
   * @see #generate(int, int[][], float, long, int[])
   */
  public int[][] generate(
      int samples,
      int[][] priming,
      float temperature,
      long seed,
      int[] globalIds,
      LocalConditioning local) {
    int channels = net.config().localChannels();
    if (net.config().hasLocalConditioning() != (local != null)) {
      throw new IllegalArgumentException(
          net.config().hasLocalConditioning()
              ? "local: this WaveNet is locally conditioned; pass the features"
              : "local: this WaveNet has no local conditioning");
    }
    if (local != null && local.channels() != -1 && local.channels() != channels) {
      throw new IllegalArgumentException(
          "local: " + local.channels() + " features per step, the WaveNet takes " + channels);
    }
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
        NDArray features = null;
        if (local != null) {
          // [B, L, width]: clip c's features of input steps start .. end − 1.
          float[] f = new float[batch * channels * width];
          float[] v = new float[channels];
          for (int c = 0; c < batch; c++) {
            for (int t = 0; t < width; t++) {
              local.features(c, start + t, v, 0);
              for (int l = 0; l < channels; l++) {
                f[(c * channels + l) * width + t] = v[l];
              }
            }
          }
          features =
              step.create(f, new Shape(batch, channels, width)).toType(net.dataType(), false);
        }
        last = net.logitsAtSampleRate(x, ids, features).get(":, :, -1").toFloatArray();
      }
      for (int c = 0; c < batch; c++) {
        out[c][s] = sampler.sample(last, c * classes, temperature, random[c]);
        inputs[c][end] = out[c][s];
      }
    }
    return out;
  }
}
