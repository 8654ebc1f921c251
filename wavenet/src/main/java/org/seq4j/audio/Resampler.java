package org.seq4j.audio;

/**
 * Sample-rate conversion between any two rates by band-limited interpolation with a Kaiser-windowed
 * sinc low-pass.
 *
 * <p>Output sample {@code n} lies at {@code t = n · in / out} input samples and is
 *
 * <pre>
 *   y[n] = Σ_k x[k] · h(t − k),   h(τ) = 2c · sinc(2c · τ) · w(τ / H),   sinc(u) = sin(πu) / (πu)
 * </pre>
 *
 * <p>with samples outside the input taken as zero. The filter (Oppenheim &amp; Schafer, 3rd ed.,
 * Sec. 7.6, Kaiser's design formulas):
 *
 * <ul>
 *   <li>it is designed at the lower of the two rates, {@code f_low}, whose Nyquist frequency is
 *       {@code f_low / 2};
 *   <li>passband up to 0.90 of that Nyquist frequency, stopband from the Nyquist frequency itself,
 *       so nothing that could alias passes; the cutoff {@code c} (in cycles per input sample) is at
 *       the middle of that transition band, {@code 0.95 · (f_low / 2) / in};
 *   <li>stopband attenuation A = 80 dB: Kaiser window {@code w(u) = I0(β·√(1 − u²)) / I0(β)}, β =
 *       0.1102 · (A − 8.7) = 7.857;
 *   <li>length from Kaiser's formula N = (A − 7.95) / (2.285 · Δω), Δω the transition width in
 *       radians per sample at {@code f_low}: about 100 taps at {@code f_low}, so the half-width
 *       {@code H} is about 50 samples at {@code f_low} ({@code 50 · in / f_low} input samples);
 *   <li>the taps of every output sample are scaled to sum to 1, so DC and low tones keep their
 *       level exactly.
 * </ul>
 *
 * <p>With {@code out / in = L / M} in lowest terms there are {@code L} distinct filter phases; for
 * {@code L ≤ 1024} they are computed once (a polyphase filter bank), otherwise each output sample's
 * taps are computed as they are needed. The output has {@code round(n · out / in)} samples, clamped
 * to [-1, 1].
 */
public final class Resampler {
  /** Stopband attenuation of the low-pass, in dB. */
  public static final double STOPBAND_DB = 80;

  /** Passband edge as a fraction of the lower Nyquist frequency; the stopband starts at 1.0. */
  public static final double PASSBAND_EDGE = 0.90;

  private static final int MAX_TABLE_PHASES = 1024;

  private final int inRate;
  private final int outRate;
  private final long up;
  private final long down;
  private final double cutoff;
  private final double halfWidth;
  private final double beta;
  private final double besselI0OfBeta;
  private final int reach;
  private final float[][] phases;

  /** A resampler from {@code inRate} to {@code outRate} samples per second. */
  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive, got " + inRate + " and " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    long g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    double lowRate = Math.min(inRate, outRate);
    // Transition band [PASSBAND_EDGE, 1] of the lower Nyquist frequency, cutoff at its middle.
    double transition = (1 - PASSBAND_EDGE) * 0.5; // cycles per sample at lowRate
    this.cutoff = (1 + PASSBAND_EDGE) / 2 * 0.5 * lowRate / inRate;
    this.beta = 0.1102 * (STOPBAND_DB - 8.7);
    this.besselI0OfBeta = besselI0(beta);
    double taps = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition);
    this.halfWidth = taps / 2 * inRate / lowRate;
    this.reach = (int) Math.floor(halfWidth) + 1;
    this.phases = up <= MAX_TABLE_PHASES ? table() : null;
  }

  /** {@code clip} at {@code outRate}; the clip itself when the rate is already {@code outRate}. */
  public static AudioClip resample(AudioClip clip, int outRate) {
    if (clip.sampleRate() == outRate) {
      return clip;
    }
    return new Resampler(clip.sampleRate(), outRate).apply(clip);
  }

  /** {@code clip} (which must be at this resampler's input rate) at the output rate. */
  public AudioClip apply(AudioClip clip) {
    if (clip.sampleRate() != inRate) {
      throw new IllegalArgumentException(
          "this resampler takes " + inRate + " Hz, the clip is " + clip.sampleRate() + " Hz");
    }
    return AudioClip.clamped(process(clip.view()), outRate);
  }

  /** The number of output samples for {@code n} input samples: {@code round(n · out / in)}. */
  public static int outputLength(long n, int inRate, int outRate) {
    long length = Math.round((double) n * outRate / inRate);
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("resampled clip too long: " + length + " samples");
    }
    return (int) length;
  }

  /** Resamples {@code x} (not clamped). */
  public float[] process(float[] x) {
    int outLength = outputLength(x.length, inRate, outRate);
    float[] y = new float[outLength];
    float[] scratch = phases == null ? new float[2 * reach] : null;
    for (int n = 0; n < outLength; n++) {
      long position = n * down; // t = position / up input samples
      long base = position / up;
      int phase = (int) (position % up);
      float[] h = phases != null ? phases[phase] : taps(phase / (double) up, scratch);
      // Tap j multiplies x[base - reach + 1 + j], at τ = frac + reach - 1 - j.
      long first = base - reach + 1;
      int j0 = (int) Math.max(0, -first);
      int j1 = (int) Math.min(h.length, x.length - first);
      double acc = 0;
      for (int j = j0; j < j1; j++) {
        acc += x[(int) (first + j)] * h[j];
      }
      y[n] = (float) acc;
    }
    return y;
  }

  private float[][] table() {
    float[][] t = new float[(int) up][];
    for (int p = 0; p < up; p++) {
      t[p] = taps(p / (double) up, new float[2 * reach]);
    }
    return t;
  }

  /**
   * The taps for an output sample {@code frac} input samples past {@code x[base]}, summing to 1.
   */
  private float[] taps(double frac, float[] h) {
    double sum = 0;
    double[] v = new double[h.length];
    for (int j = 0; j < h.length; j++) {
      double tau = frac + reach - 1 - j;
      v[j] = kernel(tau);
      sum += v[j];
    }
    for (int j = 0; j < h.length; j++) {
      h[j] = (float) (v[j] / sum);
    }
    return h;
  }

  /** h(τ) = 2c · sinc(2c · τ) · Kaiser(τ / H); zero beyond the half-width. */
  private double kernel(double tau) {
    double u = tau / halfWidth;
    if (Math.abs(u) > 1) {
      return 0;
    }
    double arg = 2 * cutoff * tau;
    double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
    return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - u * u)) / besselI0OfBeta;
  }

  /** The modified Bessel function of the first kind, order 0: Σ ((x/2)^k / k!)². */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 200; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < 1e-16 * sum) {
        break;
      }
    }
    return sum;
  }

  /** The filter's half-width in input samples. */
  public double halfWidth() {
    return halfWidth;
  }

  /** The cutoff frequency (the middle of the transition band) in Hz. */
  public double cutoffHz() {
    return cutoff * inRate;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
