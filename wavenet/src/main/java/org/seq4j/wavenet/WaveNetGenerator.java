package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * Fast WaveNet generation in plain Java (Paine et al. 2016, "Fast Wavenet Generation Algorithm"):
 * per-layer queues of past activations, so each sample costs one step through the layers, computed
 * by Vector API kernels on weights read once from a state dict.
 *
 * <p>Conventions, shared with any other generator that should give the same samples:
 *
 * <ul>
 *   <li>Output sample {@code s} of a clip is drawn from the logits after feeding its previous
 *       sample; the inputs start with the priming samples, by default one {@link #silence()} class.
 *       Outputs exclude the priming.
 *   <li>Drawing: {@link Sampler}, with clip {@code c}'s random stream {@link
 *       Sampler#clipRandom(long, int) clipRandom(seed, c)} and one {@code nextDouble()} per sample;
 *       greedy (arg max) at temperature ≤ {@link Sampler#GREEDY}. A clip's samples therefore depend
 *       on the seed and its own index, not on the batch size or the threads.
 *   <li>Global conditioning: {@code globalIds[c]} selects clip {@code c}'s embedding row. Local
 *       conditioning: features per input step ({@link LocalConditioning}); a generation of {@code
 *       n} samples after {@code m} priming samples reads steps {@code 0 .. m + n − 2}.
 * </ul>
 *
 * <p>With {@code threads > 1} a batch is split into contiguous groups of clips, one per thread (the
 * calling thread takes the first); the groups run independently, with no synchronization per
 * sample. The generator itself is immutable and may be shared; {@link #close()} stops its threads.
 */
public final class WaveNetGenerator implements AutoCloseable {
  private static final int REPORT_EVERY = 256;

  private final WaveNetConfig config;
  private final GeneratorWeights weights;
  private final int threads;
  private final ExecutorService pool;

  /** A single-threaded generator. */
  public WaveNetGenerator(WaveNetConfig config, Map<String, NDArray> stateDict) {
    this(config, stateDict, 1);
  }

  /**
   * Reads the weights of {@code config}'s network from {@code stateDict} (names and layouts in
   * {@link WaveNetConfig}). The NDArrays are not kept.
   *
   * @param threads how many threads a batched generation may use (the caller's included)
   * @throws IllegalArgumentException naming a tensor that is missing or has the wrong shape
   */
  public WaveNetGenerator(WaveNetConfig config, Map<String, NDArray> stateDict, int threads) {
    if (config == null) {
      throw new IllegalArgumentException("config: null");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: must be positive, got " + threads);
    }
    this.config = config;
    this.weights = new GeneratorWeights(config, stateDict);
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                task -> {
                  Thread t = new Thread(task, "wavenet-generator");
                  t.setDaemon(true);
                  return t;
                });
  }

  /** The network's shape. */
  public WaveNetConfig config() {
    return config;
  }

  /** The threads a batched generation may use. */
  public int threads() {
    return threads;
  }

  /** The default first input: the middle class, silence in μ-law. */
  public int silence() {
    return config.classes() / 2;
  }

  /**
   * A stream over clips {@code 0 .. batch − 1} for sample-by-sample use (single-threaded): {@link
   * GenerationStream#feed}, {@link GenerationStream#sample}, {@link GenerationStream#logits}.
   *
   * @param globalIds one id per clip, or null (then no global conditioning is added)
   * @param local the local features, required exactly when the model has local conditioning
   */
  public GenerationStream open(
      int batch, float temperature, long seed, int[] globalIds, LocalConditioning local) {
    checkConditioning(batch, globalIds, local);
    int[] clips = new int[batch];
    for (int c = 0; c < batch; c++) {
      clips[c] = c;
    }
    return new GenerationStream(weights, clips, temperature, seed, globalIds, local);
  }

  /** Generates {@code batch} unconditioned clips of {@code samples} μ-law classes each. */
  public int[][] generate(int samples, int batch, float temperature, long seed) {
    return generate(samples, batch, temperature, seed, null, null, null);
  }

  /**
   * Generates {@code batch} clips of {@code samples} classes each, each primed with one {@link
   * #silence()} input.
   *
   * @param temperature softmax temperature; ≤ {@link Sampler#GREEDY} for the arg max
   * @param seed the seed of every clip's random stream
   * @param globalIds one id per clip, or null
   * @param local local features, or null without local conditioning
   * @param listener progress, or null
   * @return {@code [batch][samples]} classes
   */
  public int[][] generate(
      int samples,
      int batch,
      float temperature,
      long seed,
      int[] globalIds,
      LocalConditioning local,
      ProgressListener listener) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch: must be positive, got " + batch);
    }
    int[][] priming = new int[batch][];
    for (int c = 0; c < batch; c++) {
      priming[c] = new int[] {silence()};
    }
    return generate(samples, priming, temperature, seed, globalIds, local, listener);
  }

  /**
   * Generates one clip per row of {@code priming}, continuing it by {@code samples} classes.
   *
   * @param priming the first inputs of each clip, all rows of the same positive length
   * @return {@code [batch][samples]} classes, the priming not included
   */
  public int[][] generate(
      int samples,
      int[][] priming,
      float temperature,
      long seed,
      int[] globalIds,
      LocalConditioning local,
      ProgressListener listener) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples: must be ≥ 0, got " + samples);
    }
    int batch = checkPriming(priming);
    checkConditioning(batch, globalIds, local);
    int[][] out = new int[batch][samples];
    int groups = Math.min(threads, batch);
    AtomicLongArray done = new AtomicLongArray(groups);
    // Group g runs its share of the clips; group 0 runs on this thread and reports progress.
    IntConsumer runGroup =
        g ->
            run(
                group(g, groups, batch),
                priming,
                samples,
                temperature,
                seed,
                globalIds,
                local,
                out,
                done,
                g,
                g == 0 ? listener : null);
    List<Future<?>> running = new ArrayList<>();
    for (int g = 1; g < groups; g++) {
      int slot = g;
      running.add(pool.submit(() -> runGroup.accept(slot)));
    }
    runGroup.accept(0);
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get(50, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          report(listener, done, samples);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running.forEach(r -> r.cancel(true));
          throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
          running.forEach(r -> r.cancel(true));
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException("generation failed", cause);
        }
      }
    }
    if (listener != null) {
      listener.progress(samples, samples);
    }
    return out;
  }

  private void run(
      int[] clips,
      int[][] priming,
      int samples,
      float temperature,
      long seed,
      int[] globalIds,
      LocalConditioning local,
      int[][] out,
      AtomicLongArray done,
      int slot,
      ProgressListener listener) {
    GenerationStream stream =
        new GenerationStream(weights, clips, temperature, seed, globalIds, local);
    int rows = clips.length;
    int[] next = new int[rows];
    for (int t = 0; t < priming[0].length; t++) {
      for (int r = 0; r < rows; r++) {
        next[r] = priming[clips[r]][t];
      }
      stream.feed(next);
    }
    for (int s = 0; s < samples; s++) {
      stream.sample(next);
      for (int r = 0; r < rows; r++) {
        out[clips[r]][s] = next[r];
      }
      if (s + 1 < samples) {
        stream.feed(next);
      }
      if ((s + 1) % REPORT_EVERY == 0) {
        done.set(slot, s + 1);
        if (listener != null) {
          report(listener, done, samples);
        }
      }
    }
    done.set(slot, samples);
  }

  private static void report(ProgressListener listener, AtomicLongArray done, int samples) {
    if (listener == null) {
      return;
    }
    long least = samples;
    for (int g = 0; g < done.length(); g++) {
      least = Math.min(least, done.get(g));
    }
    listener.progress(least, samples);
  }

  /** The clips of group {@code g} of {@code groups}: contiguous, sizes differing by at most 1. */
  private static int[] group(int g, int groups, int batch) {
    int from = (int) ((long) batch * g / groups);
    int to = (int) ((long) batch * (g + 1) / groups);
    int[] clips = new int[to - from];
    for (int c = from; c < to; c++) {
      clips[c - from] = c;
    }
    return clips;
  }

  /**
   * Teacher-forced logits of one unconditioned clip: row {@code t} is computed from {@code
   * classes[0..t]} and predicts {@code classes[t + 1]}.
   *
   * @return {@code [T][classes]}
   */
  public float[][] logits(int[] classes) {
    return logits(new int[][] {classes}, null, null)[0];
  }

  /**
   * Teacher-forced logits of several clips of the same length, through the same queues and kernels
   * as generation.
   *
   * @return {@code [batch][T][classes]}
   */
  public float[][][] logits(int[][] classes, int[] globalIds, LocalConditioning local) {
    int batch = checkPriming(classes);
    GenerationStream stream = open(batch, Sampler.GREEDY, 0, globalIds, local);
    int steps = classes[0].length;
    float[][][] out = new float[batch][steps][config.classes()];
    int[] input = new int[batch];
    for (int t = 0; t < steps; t++) {
      for (int c = 0; c < batch; c++) {
        input[c] = classes[c][t];
      }
      stream.feed(input);
      for (int c = 0; c < batch; c++) {
        stream.logits(c, out[c][t], 0);
      }
    }
    return out;
  }

  private static int checkPriming(int[][] priming) {
    if (priming == null || priming.length == 0) {
      throw new IllegalArgumentException("inputs: at least one clip is needed");
    }
    for (int c = 0; c < priming.length; c++) {
      if (priming[c] == null || priming[c].length == 0) {
        throw new IllegalArgumentException("inputs: clip " + c + " is empty");
      }
      if (priming[c].length != priming[0].length) {
        throw new IllegalArgumentException(
            "inputs: clip "
                + c
                + " has "
                + priming[c].length
                + " samples, clip 0 has "
                + priming[0].length);
      }
    }
    return priming.length;
  }

  private void checkConditioning(int batch, int[] globalIds, LocalConditioning local) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch: must be positive, got " + batch);
    }
    if (globalIds != null) {
      if (!config.hasGlobalConditioning()) {
        throw new IllegalArgumentException("globalIds: the model has no global conditioning");
      }
      if (globalIds.length != batch) {
        throw new IllegalArgumentException(
            "globalIds: " + globalIds.length + " ids for " + batch + " clips");
      }
      for (int id : globalIds) {
        if (id < 0 || id >= config.globalClasses()) {
          throw new IllegalArgumentException(
              "globalIds: " + id + " not in [0, " + config.globalClasses() + ")");
        }
      }
    }
    if (config.hasLocalConditioning() != (local != null)) {
      throw new IllegalArgumentException(
          config.hasLocalConditioning()
              ? "local: the model needs local conditioning features"
              : "local: the model has no local conditioning");
    }
    if (local != null && local.channels() >= 0 && local.channels() != config.localChannels()) {
      throw new IllegalArgumentException(
          "local: " + local.channels() + " channels, the model has " + config.localChannels());
    }
  }

  /** Stops the generator's threads. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
