package org.seq4j.audio;

/**
 * The short-time Fourier magnitude of a clip in dB: frames of {@code fftSize} samples every {@code
 * hop} samples, each weighted by a periodic Hann window {@code w[n] = 0.5 − 0.5 · cos(2πn / N)}.
 *
 * <p>Levels are {@code 20 · log10(2 |X[k]| / Σ w)}, so a sine of amplitude {@code a} whose
 * frequency falls on a bin reads {@code 20 · log10(a)} dB there (0 dB for full scale). Frame {@code
 * i} starts at sample {@code i · hop}; a clip shorter than one frame is zero-padded to one frame.
 */
public final class Spectrogram {
  /** The floor of the dB scale (magnitudes below 1e-10 read as −200 dB). */
  public static final double FLOOR_DB = -200;

  private final float[][] db;
  private final int fftSize;
  private final int hop;
  private final int sampleRate;

  private Spectrogram(float[][] db, int fftSize, int hop, int sampleRate) {
    this.db = db;
    this.fftSize = fftSize;
    this.hop = hop;
    this.sampleRate = sampleRate;
  }

  /**
   * The spectrogram of {@code clip}.
   *
   * @param fftSize frame length, a power of two
   * @param hop samples between frame starts, positive
   */
  public static Spectrogram of(AudioClip clip, int fftSize, int hop) {
    if (fftSize < 2 || (fftSize & (fftSize - 1)) != 0) {
      throw new IllegalArgumentException("FFT size must be a power of two, got " + fftSize);
    }
    if (hop <= 0) {
      throw new IllegalArgumentException("hop must be positive, got " + hop);
    }
    float[] x = clip.view();
    int frames = x.length <= fftSize ? 1 : 1 + (x.length - fftSize + hop - 1) / hop;
    double[] window = new double[fftSize];
    double windowSum = 0;
    for (int n = 0; n < fftSize; n++) {
      window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / fftSize);
      windowSum += window[n];
    }
    int bins = fftSize / 2 + 1;
    float[][] db = new float[frames][bins];
    double[] re = new double[fftSize];
    double[] im = new double[fftSize];
    for (int f = 0; f < frames; f++) {
      int start = f * hop;
      for (int n = 0; n < fftSize; n++) {
        int i = start + n;
        re[n] = i < x.length ? x[i] * window[n] : 0;
        im[n] = 0;
      }
      Fft.transform(re, im);
      for (int k = 0; k < bins; k++) {
        double magnitude = 2 * Math.hypot(re[k], im[k]) / windowSum;
        db[f][k] = (float) (magnitude < 1e-10 ? FLOOR_DB : 20 * Math.log10(magnitude));
      }
    }
    return new Spectrogram(db, fftSize, hop, clip.sampleRate());
  }

  /** The number of frames. */
  public int frames() {
    return db.length;
  }

  /** The number of frequency bins, {@code fftSize / 2 + 1}, from 0 Hz to the Nyquist frequency. */
  public int bins() {
    return fftSize / 2 + 1;
  }

  /** The level of bin {@code k} in frame {@code f}, in dB. */
  public float db(int f, int k) {
    return db[f][k];
  }

  /** The highest level anywhere, in dB. */
  public float maxDb() {
    float max = (float) FLOOR_DB;
    for (float[] frame : db) {
      for (float v : frame) {
        max = Math.max(max, v);
      }
    }
    return max;
  }

  /** The centre of frame {@code f}, in seconds. */
  public double frameCenterSeconds(int f) {
    return (f * (double) hop + fftSize / 2.0) / sampleRate;
  }

  /** The frequency of bin {@code k}, in Hz. */
  public double binHz(int k) {
    return k * (double) sampleRate / fftSize;
  }

  /** The frame length in samples. */
  public int fftSize() {
    return fftSize;
  }

  /** The samples between frame starts. */
  public int hop() {
    return hop;
  }

  /** The clip's sample rate. */
  public int sampleRate() {
    return sampleRate;
  }
}
