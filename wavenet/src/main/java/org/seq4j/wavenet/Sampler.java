package org.seq4j.wavenet;

import static org.seq4j.wavenet.PackedMatrix.LANES;
import static org.seq4j.wavenet.PackedMatrix.SPECIES;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Draws a class from logits: softmax with a temperature, then inverse-CDF sampling with one uniform
 * number per draw; or the arg max when the temperature is {@value #GREEDY} or below.
 *
 * <p>Every generator that wants the same samples from the same logits (the fast generator and the
 * naive one) draws through this class with {@link #clipRandom(long, int)}. A sampler holds scratch
 * space and allocates nothing per draw; it is not thread-safe.
 */
public final class Sampler {
  /** The temperature at or below which sampling is greedy (the arg max, no randomness used). */
  public static final float GREEDY = 0f;

  private final int classes;
  private final float[] probabilities;
  private final float[] blockSums;

  /** A sampler over {@code classes} logits. */
  public Sampler(int classes) {
    if (classes <= 0) {
      throw new IllegalArgumentException("classes: must be positive, got " + classes);
    }
    this.classes = classes;
    this.probabilities = new float[PackedMatrix.padded(classes)];
    this.blockSums = new float[probabilities.length / LANES];
  }

  /**
   * The random stream of clip {@code clip} under {@code seed}: the same for a clip whatever batch
   * it is generated in, and unrelated between clips.
   */
  public static SplittableRandom clipRandom(long seed, int clip) {
    return new SplittableRandom(mix64(seed ^ mix64(0x9E3779B97F4A7C15L * (clip + 1L))));
  }

  private static long mix64(long z) { // Stafford's variant 13 of the MurmurHash3 finalizer
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The number of classes. */
  public int classes() {
    return classes;
  }

  /**
   * Draws a class from {@code logits[offset, offset + classes)}.
   *
   * <p>With {@code temperature > 0}: {@code p_q ∝ exp((logit_q − max)/temperature)}, {@code u =
   * random.nextDouble()·Σp}, and the class is the first {@code q} whose running sum of {@code p}
   * exceeds {@code u}. Otherwise the first arg max, drawing nothing from {@code random}.
   */
  public int sample(float[] logits, int offset, float temperature, SplittableRandom random) {
    float scale = 1f / temperature;
    if (!(temperature > GREEDY) || Float.isInfinite(scale)) {
      return argMax(logits, offset);
    }
    float[] p = probabilities;
    System.arraycopy(logits, offset, p, 0, classes);
    for (int q = classes; q < p.length; q++) {
      p[q] = Float.NEGATIVE_INFINITY;
    }
    FloatVector max = FloatVector.fromArray(SPECIES, p, 0);
    for (int i = LANES; i < p.length; i += LANES) {
      max = max.max(FloatVector.fromArray(SPECIES, p, i));
    }
    float top = max.reduceLanes(VectorOperators.MAX);
    if (Float.isNaN(top) || Float.isInfinite(top)) {
      return argMax(logits, offset);
    }
    VectorMath.exp(p, 0, p.length, top, scale);
    for (int q = classes; q < p.length; q++) {
      p[q] = 0;
    }
    double total = 0;
    for (int i = 0, b = 0; i < p.length; i += LANES, b++) {
      blockSums[b] = FloatVector.fromArray(SPECIES, p, i).reduceLanes(VectorOperators.ADD);
      total += blockSums[b];
    }
    double u = random.nextDouble() * total;
    double sum = 0;
    for (int b = 0; b < blockSums.length; b++) {
      if (sum + blockSums[b] > u) {
        int end = Math.min(classes, (b + 1) * LANES);
        for (int q = b * LANES; q < end; q++) {
          sum += probabilities[q];
          if (sum > u) {
            return q;
          }
        }
      } else {
        sum += blockSums[b];
      }
    }
    for (int q = classes - 1; q > 0; q--) { // rounding left u beyond the sum: the last class seen
      if (probabilities[q] > 0) {
        return q;
      }
    }
    return 0;
  }

  private int argMax(float[] logits, int offset) {
    int best = 0;
    float top = logits[offset];
    for (int q = 1; q < classes; q++) {
      if (logits[offset + q] > top) {
        top = logits[offset + q];
        best = q;
      }
    }
    return best;
  }
}
