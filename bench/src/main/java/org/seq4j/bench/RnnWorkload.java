package org.seq4j.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The problem every implementation of the recurrent benchmark solves: the layer's configuration,
 * the batch's shape and, for variable lengths, the length of each sequence. All implementations of
 * a case get the same workload, so they process the same number of tokens.
 */
public final class RnnWorkload {
  /** The recurrent cells measured. */
  public static final List<String> CELLS = List.of("lstm", "gru");

  /** Stacked layers of the standard workload. */
  public static final int LAYERS = 2;

  /** Hidden size of the standard workload. */
  public static final int HIDDEN_SIZE = 256;

  /** Input size of the standard workload. */
  public static final int INPUT_SIZE = 256;

  /** Sequence length (time steps) of the standard workload. */
  public static final int STEPS = 50;

  /** Batch size of the standard workload. */
  public static final int BATCH = 64;

  /** The shortest sequence of a variable-length batch of the standard workload. */
  public static final int MIN_LENGTH = 25;

  private final String cell;
  private final RnnLayout layout;
  private final int batch;
  private final int steps;
  private final int inputSize;
  private final int hiddenSize;
  private final int layers;
  private final int[] lengths;
  private final long seed;

  /**
   * Creates a workload.
   *
   * @param cell {@code lstm} or {@code gru}
   * @param lengths one length in [1, steps] per sequence for {@link RnnLayout#VARLEN}, else null
   * @param seed the seed of the weights and inputs each implementation draws
   */
  public RnnWorkload(
      String cell,
      RnnLayout layout,
      int batch,
      int steps,
      int inputSize,
      int hiddenSize,
      int layers,
      int[] lengths,
      long seed) {
    if (!CELLS.contains(cell)) {
      throw new IllegalArgumentException(
          "unknown cell '" + cell + "'; known: " + String.join(", ", CELLS));
    }
    if (batch < 1 || steps < 1 || inputSize < 1 || hiddenSize < 1 || layers < 1) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (layout.variableLengths() != (lengths != null)) {
      throw new IllegalArgumentException(
          "layout " + layout.cliName() + (lengths == null ? " needs" : " takes no") + " lengths");
    }
    if (lengths != null) {
      if (lengths.length != batch) {
        throw new IllegalArgumentException("need " + batch + " lengths, got " + lengths.length);
      }
      for (int n : lengths) {
        if (n < 1 || n > steps) {
          throw new IllegalArgumentException("lengths must be in [1, " + steps + "], got " + n);
        }
      }
    }
    this.cell = cell;
    this.layout = layout;
    this.batch = batch;
    this.steps = steps;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.layers = layers;
    this.lengths = lengths == null ? null : lengths.clone();
    this.seed = seed;
  }

  /**
   * The benchmark's workload: {@value #LAYERS} layers, {@value #HIDDEN_SIZE} hidden units, input
   * {@value #INPUT_SIZE}, T = {@value #STEPS}, B = {@value #BATCH}, float32; for {@code varlen} the
   * lengths are {@link #uniformLengths} in [{@value #MIN_LENGTH}, {@value #STEPS}].
   */
  public static RnnWorkload standard(String cell, RnnLayout layout, long seed) {
    int[] lengths =
        layout.variableLengths() ? uniformLengths(seed, BATCH, MIN_LENGTH, STEPS) : null;
    return new RnnWorkload(
        cell, layout, BATCH, STEPS, INPUT_SIZE, HIDDEN_SIZE, LAYERS, lengths, seed);
  }

  /**
   * {@code batch} lengths drawn uniformly from [{@code min}, {@code max}] by {@link Random} with
   * {@code seed}; {@code Random}'s algorithm is specified, so every JVM draws the same lengths.
   */
  public static int[] uniformLengths(long seed, int batch, int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ", " + max);
    }
    Random random = new Random(seed);
    int[] lengths = new int[batch];
    for (int i = 0; i < batch; i++) {
      lengths[i] = min + random.nextInt(max - min + 1);
    }
    return lengths;
  }

  /** {@code lstm} or {@code gru}. */
  public String cell() {
    return cell;
  }

  /** The batch's layout. */
  public RnnLayout layout() {
    return layout;
  }

  /** Sequences per batch (B). */
  public int batch() {
    return batch;
  }

  /** Time steps of the padded batch (T). */
  public int steps() {
    return steps;
  }

  /** Features per input step. */
  public int inputSize() {
    return inputSize;
  }

  /** Hidden units per layer and direction. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** Stacked layers. */
  public int layers() {
    return layers;
  }

  /** 2 for a bidirectional layer, else 1. */
  public int directions() {
    return layout.bidirectional() ? 2 : 1;
  }

  /** Features per output step: directions × hidden size. */
  public int outputSize() {
    return directions() * hiddenSize;
  }

  /** A copy of the sequence lengths, or null when every sequence has all {@link #steps}. */
  public int[] lengths() {
    return lengths == null ? null : lengths.clone();
  }

  /** The seed of the weights and inputs. */
  public long seed() {
    return seed;
  }

  /**
   * The tokens one call processes, the same for every implementation: B·T, or the sum of the
   * lengths for variable lengths (padding is not work done).
   */
  public long tokensPerStep() {
    return lengths == null ? (long) batch * steps : Arrays.stream(lengths).asLongStream().sum();
  }

  /**
   * The request that asks the {@code rnn.py} peer for one round of this workload in {@code mode}.
   */
  public Map<String, Object> peerRequest(RnnBenchMode mode, int threads, double minTimeS) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("op", mode.op());
    request.put("cell", cell);
    request.put("threads", threads);
    request.put("min_time_s", minTimeS);
    request.put("batch", batch);
    request.put("steps", steps);
    request.put("input_size", inputSize);
    request.put("hidden_size", hiddenSize);
    request.put("layers", layers);
    request.put("bidirectional", layout.bidirectional());
    request.put("lengths", lengths == null ? null : Arrays.stream(lengths).boxed().toList());
    request.put("seed", seed);
    return request;
  }

  /** E.g. {@code lstm, 2 layers, 256 hidden, input 256, T=50, B=64, float32}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s, %d layers, %d hidden, input %d, T=%d, B=%d, float32",
        cell,
        layers,
        hiddenSize,
        inputSize,
        steps,
        batch);
  }
}
