package org.seq4j.cli.sampling;

import java.util.SplittableRandom;

/** Draws a class from logits: softmax with a temperature, from a seeded generator. */
public final class SoftmaxSampler {
  private SoftmaxSampler() {}

  /**
   * Draws an index from softmax({@code logits} / {@code temperature}).
   *
   * @param excluded an index never to draw (a reserved symbol), or -1
   * @throws IllegalArgumentException if the temperature is not positive
   */
  public static int draw(
      float[] logits, double temperature, SplittableRandom random, int excluded) {
    checkTemperature(temperature);
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < logits.length; i++) {
      if (i != excluded) {
        max = Math.max(max, logits[i] / temperature);
      }
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = i == excluded ? 0 : Math.exp(logits[i] / temperature - max);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    int last = -1;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        last = i;
        u -= p[i];
        if (u <= 0) {
          return i;
        }
      }
    }
    return last;
  }

  /**
   * Checks a sampling temperature.
   *
   * @throws IllegalArgumentException if it is not a positive number
   */
  public static void checkTemperature(double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
  }
}
