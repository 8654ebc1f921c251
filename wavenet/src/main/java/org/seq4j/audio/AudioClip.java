package org.seq4j.audio;

import java.util.Arrays;

/**
 * A mono clip of audio: float samples in [-1, 1] at a sample rate. Immutable: the samples are
 * copied in and out.
 */
public final class AudioClip {
  private final float[] samples;
  private final int sampleRate;

  /**
   * A clip of a copy of {@code samples}.
   *
   * @throws IllegalArgumentException if the rate is not positive or a sample is not finite or lies
   *     outside [-1, 1]
   */
  public AudioClip(float[] samples, int sampleRate) {
    this(samples.clone(), sampleRate, true);
  }

  private AudioClip(float[] owned, int sampleRate, boolean check) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
    }
    if (check) {
      for (int i = 0; i < owned.length; i++) {
        float x = owned[i];
        if (!(x >= -1f && x <= 1f)) {
          throw new IllegalArgumentException(
              "sample " + i + " is " + x + "; samples must be finite and within [-1, 1]");
        }
      }
    }
    this.samples = owned;
    this.sampleRate = sampleRate;
  }

  /** A clip that takes ownership of {@code owned} (no copy); the caller never touches it again. */
  static AudioClip owning(float[] owned, int sampleRate) {
    return new AudioClip(owned, sampleRate, true);
  }

  /** A clip of {@code samples} clamped to [-1, 1] (taking ownership; NaN is not allowed). */
  static AudioClip clamped(float[] owned, int sampleRate) {
    for (int i = 0; i < owned.length; i++) {
      owned[i] = Math.max(-1f, Math.min(1f, owned[i]));
    }
    return new AudioClip(owned, sampleRate, true);
  }

  /** A copy of the samples. */
  public float[] samples() {
    return samples.clone();
  }

  /** The samples without a copy, for this package's own loops. Never modified by the caller. */
  float[] view() {
    return samples;
  }

  /** Sample {@code i}. */
  public float sample(int i) {
    return samples[i];
  }

  /** The number of samples. */
  public int length() {
    return samples.length;
  }

  /** Samples per second. */
  public int sampleRate() {
    return sampleRate;
  }

  /** The duration in seconds. */
  public double seconds() {
    return samples.length / (double) sampleRate;
  }

  /** Samples {@code [from, to)} as a new clip. */
  public AudioClip slice(int from, int to) {
    return new AudioClip(Arrays.copyOfRange(samples, from, to), sampleRate, false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioClip c
        && c.sampleRate == sampleRate
        && Arrays.equals(c.samples, samples);
  }

  @Override
  public int hashCode() {
    return 31 * sampleRate + Arrays.hashCode(samples);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "AudioClip[%d samples, %d Hz, %.3f s]",
        samples.length,
        sampleRate,
        seconds());
  }
}
