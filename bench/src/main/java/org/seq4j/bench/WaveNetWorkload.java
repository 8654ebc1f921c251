package org.seq4j.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.seq4j.wavenet.WaveNetConfig;

/**
 * What every implementation of one model of the WaveNet benchmark works on: the network, the
 * training batch, and how many samples one timed generation call produces per clip.
 *
 * @param model the model's name in reports, e.g. {@code a}
 * @param config the network (unconditioned)
 * @param trainBatch windows per training step
 * @param trainWindow samples per training window; it must exceed the receptive field
 * @param fastSamples samples per clip in one timed call of the plain-Java fast generator
 * @param cachedSamples samples per clip in one timed call of the per-op fast generators (raw DJL
 *     and PyTorch)
 * @param naiveSamples samples per clip in one timed call of the naive generator
 * @param seed the seed of the weights, the training windows and the samplers
 */
public record WaveNetWorkload(
    String model,
    WaveNetConfig config,
    int trainBatch,
    int trainWindow,
    int fastSamples,
    int cachedSamples,
    int naiveSamples,
    long seed) {

  /** The models of {@link #standard}, in report order. */
  public static final List<String> MODELS = List.of("a", "b");

  /** Checks the sizes. */
  public WaveNetWorkload {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(config, "config");
    if (config.hasGlobalConditioning() || config.hasLocalConditioning()) {
      throw new IllegalArgumentException("the benchmark runs unconditioned networks only");
    }
    if (trainBatch < 1 || fastSamples < 1 || cachedSamples < 1 || naiveSamples < 1) {
      throw new IllegalArgumentException("batch and sample counts must be positive");
    }
    if (trainWindow <= config.receptiveField()) {
      throw new IllegalArgumentException(
          "trainWindow "
              + trainWindow
              + " must exceed the receptive field of "
              + config.receptiveField());
    }
  }

  /**
   * The benchmark's models.
   *
   * <ul>
   *   <li>{@code a}: {@link WaveNetConfig#modelA()} (receptive field 5,117); training on 1 window
   *       of 8,192 samples, 3,075 of them scored;
   *   <li>{@code b}: {@link WaveNetConfig#modelB()} (receptive field 512); training on 4 windows of
   *       2,560 samples, 2,048 of each scored.
   * </ul>
   *
   * @throws IllegalArgumentException naming the known models if {@code model} is not one
   */
  public static WaveNetWorkload standard(String model, long seed) {
    return switch (model) {
      case "a" -> new WaveNetWorkload("a", WaveNetConfig.modelA(), 1, 8192, 2000, 100, 1, seed);
      case "b" -> new WaveNetWorkload("b", WaveNetConfig.modelB(), 4, 2560, 4000, 200, 2, seed);
      default ->
          throw new IllegalArgumentException(
              "unknown model '" + model + "'; known: " + String.join(", ", MODELS));
    };
  }

  /** The samples one output sees, the current one included. */
  public long receptiveField() {
    return config.receptiveField();
  }

  /**
   * The positions a training step scores, the same for every implementation: per window, those
   * whose receptive field lies inside it ({@code trainWindow − receptiveField()}), times the batch.
   */
  public long scoredSamplesPerStep() {
    return (long) trainBatch * (trainWindow - receptiveField());
  }

  /**
   * The training batch: {@code trainBatch} windows of classes drawn uniformly from the μ-law levels
   * by {@link Random} with {@link #seed} (random content: the speed does not depend on it).
   */
  public int[][] trainWindows() {
    Random random = new Random(seed);
    int[][] windows = new int[trainBatch][trainWindow];
    for (int[] w : windows) {
      for (int t = 0; t < w.length; t++) {
        w[t] = random.nextInt(config.classes());
      }
    }
    return windows;
  }

  /** The network as the peer's {@code config} field. */
  public Map<String, Object> peerConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("classes", config.classes());
    c.put("residual", config.residualChannels());
    c.put("dilation", config.dilationChannels());
    c.put("skip", config.skipChannels());
    c.put("kernel", config.kernelSize());
    c.put("input_kernel", config.inputKernel());
    c.put("dilations", java.util.Arrays.stream(config.dilations()).boxed().toList());
    return c;
  }

  /**
   * The request that asks the {@code wavenet.py} peer for one round of training at {@code threads},
   * with the weights in {@code weights}, after (for its first request) {@code warmUpS} seconds of
   * untimed steps.
   */
  public Map<String, Object> trainRequest(
      Path weights, int threads, double minTimeS, double warmUpS) {
    Map<String, Object> request = base(WaveNetBench.TRAIN_OP, weights, threads, minTimeS);
    request.put("warm_up_s", warmUpS);
    request.put("batch", trainBatch);
    request.put("window", trainWindow);
    return request;
  }

  /** The request for one round of fast generation of {@code batch} clips. */
  public Map<String, Object> generateRequest(
      Path weights, int batch, float temperature, int threads, double minTimeS) {
    Map<String, Object> request = base(WaveNetBench.GENERATE_OP, weights, threads, minTimeS);
    request.put("batch", batch);
    request.put("samples", cachedSamples);
    request.put("temperature", temperature);
    return request;
  }

  private Map<String, Object> base(String op, Path weights, int threads, double minTimeS) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("op", op);
    request.put("model", model);
    request.put("threads", threads);
    request.put("min_time_s", minTimeS);
    request.put("config", peerConfig());
    request.put("weights", weights.toString());
    request.put("seed", seed);
    return request;
  }

  /**
   * E.g. {@code a: 50 layers, residual 32, dilation 32, skip 512, receptive field 5117; training 1
   * x 8192 samples (3075 scored)}.
   */
  public String describe() {
    return model
        + ": "
        + config.layers()
        + " layers, residual "
        + config.residualChannels()
        + ", dilation "
        + config.dilationChannels()
        + ", skip "
        + config.skipChannels()
        + ", receptive field "
        + receptiveField()
        + "; training "
        + trainBatch
        + " x "
        + trainWindow
        + " samples ("
        + scoredSamplesPerStep()
        + " scored)";
  }
}
