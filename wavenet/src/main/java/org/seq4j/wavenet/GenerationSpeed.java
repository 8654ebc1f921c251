package org.seq4j.wavenet;

/** Measures how fast a {@link WaveNetGenerator} generates, for benchmarks. */
public final class GenerationSpeed {
  private GenerationSpeed() {}

  /**
   * Generates {@code warmup} samples per clip (untimed, to compile the kernels), then {@code
   * samples} per clip timed, and returns the samples per second over all clips: {@code batch ·
   * samples / seconds}. Unconditioned models only.
   */
  public static double samplesPerSecond(
      WaveNetGenerator generator, int batch, float temperature, int warmup, int samples) {
    if (warmup > 0) {
      generator.generate(warmup, batch, temperature, 1);
    }
    long start = System.nanoTime();
    generator.generate(samples, batch, temperature, 2);
    double seconds = (System.nanoTime() - start) / 1e9;
    return batch * (double) samples / seconds;
  }
}
