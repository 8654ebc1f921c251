package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {
  private static final double AMPLITUDE = 0.5;

  private static AudioClip tone(double hz, int rate, double seconds) {
    float[] x = new float[(int) Math.round(seconds * rate)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * hz * i / rate + 0.3));
    }
    return new AudioClip(x, rate);
  }

  /** Least-squares fit of a·cos + b·sin at {@code hz} over the interior: {amplitude, residual}. */
  private static double[] fit(AudioClip clip, double hz, int skip) {
    float[] y = clip.samples();
    double cc = 0;
    double ss = 0;
    double cs = 0;
    double yc = 0;
    double ys = 0;
    for (int i = skip; i < y.length - skip; i++) {
      double w = 2 * Math.PI * hz * i / clip.sampleRate();
      double c = Math.cos(w);
      double s = Math.sin(w);
      cc += c * c;
      ss += s * s;
      cs += c * s;
      yc += y[i] * c;
      ys += y[i] * s;
    }
    double det = cc * ss - cs * cs;
    double a = (yc * ss - ys * cs) / det;
    double b = (ys * cc - yc * cs) / det;
    double residual = 0;
    int n = 0;
    for (int i = skip; i < y.length - skip; i++) {
      double w = 2 * Math.PI * hz * i / clip.sampleRate();
      double r = y[i] - a * Math.cos(w) - b * Math.sin(w);
      residual += r * r;
      n++;
    }
    return new double[] {Math.hypot(a, b), Math.sqrt(residual / n) * Math.sqrt(2)};
  }

  private static double interiorRms(AudioClip clip, int skip) {
    double sum = 0;
    int n = 0;
    for (int i = skip; i < clip.length() - skip; i++) {
      sum += clip.sample(i) * (double) clip.sample(i);
      n++;
    }
    return Math.sqrt(sum / n);
  }

  private static void assertKept(double hz, int in, int out) {
    AudioClip y = Resampler.resample(tone(hz, in, 0.5), out);
    assertEquals(Math.round(0.5 * out), y.length());
    double[] f = fit(y, hz, 200);
    String what = hz + " Hz, " + in + " -> " + out + ": amplitude " + f[0] + ", residual " + f[1];
    assertEquals(AMPLITUDE, f[0], 0.01 * AMPLITUDE, what);
    assertTrue(f[1] < 0.01 * AMPLITUDE, what); // nothing but that frequency
  }

  private static void assertRemoved(double hz, int in, int out) {
    AudioClip y = Resampler.resample(tone(hz, in, 0.5), out);
    double db = 20 * Math.log10(interiorRms(y, 200) / (AMPLITUDE / Math.sqrt(2)));
    assertTrue(db < -40, hz + " Hz, " + in + " -> " + out + ": " + db + " dB");
  }

  @Test
  void downFrom44100To8000KeepsLowTonesAndRemovesHighOnes() {
    assertKept(1000, 44100, 8000);
    assertKept(3000, 44100, 8000);
    assertKept(3500, 44100, 8000);
    assertRemoved(4400, 44100, 8000);
    assertRemoved(6000, 44100, 8000);
    assertRemoved(10000, 44100, 8000);
  }

  @Test
  void downFrom16000To8000KeepsLowTonesAndRemovesHighOnes() {
    assertKept(440, 16000, 8000);
    assertKept(3400, 16000, 8000);
    assertRemoved(4200, 16000, 8000);
    assertRemoved(5000, 16000, 8000);
    assertRemoved(7000, 16000, 8000);
  }

  @Test
  void upFrom8000To16000KeepsTheToneAndAddsNoImage() {
    assertKept(1000, 8000, 16000);
    assertKept(3000, 8000, 16000);
    AudioClip y = Resampler.resample(tone(1000, 8000, 0.5), 16000);
    double image = fit(y, 7000, 200)[0]; // the spectral image of 1 kHz at 8 kHz - 1 kHz
    assertTrue(image < 0.01 * AMPLITUDE, "image at 7 kHz: " + image);
  }

  @Test
  void oddRatiosWorkWithAndWithoutThePhaseTable() {
    assertKept(1000, 48000, 44100); // 147 phases, tabulated
    assertKept(1000, 44100, 8123); // 8123 phases, computed per sample
    assertRemoved(6000, 44100, 8123);
  }

  @Test
  void lengthIsRoundedAndDcIsKept() {
    assertEquals(8000, Resampler.outputLength(44100, 44100, 8000));
    assertEquals(181, Resampler.outputLength(1000, 44100, 8000)); // 181.4
    assertEquals(726, Resampler.outputLength(4000, 44100, 8000)); // 725.6
    assertEquals(3, Resampler.outputLength(5, 16000, 8000)); // 2.5 rounds up
    assertEquals(0, Resampler.outputLength(0, 8000, 16000));
    for (int n : new int[] {0, 1, 7, 1000, 4411}) {
      assertEquals(
          Resampler.outputLength(n, 44100, 16000),
          new Resampler(44100, 16000).process(new float[n]).length);
    }
    float[] dc = new float[4000];
    java.util.Arrays.fill(dc, 0.5f);
    AudioClip y = Resampler.resample(new AudioClip(dc, 16000), 8000);
    for (int i = 100; i < y.length() - 100; i++) {
      assertEquals(0.5f, y.sample(i), 1e-6f);
    }
  }

  @Test
  void theSameRateIsTheSameClip() {
    AudioClip clip = tone(100, 8000, 0.1);
    assertSame(clip, Resampler.resample(clip, 8000));
  }

  @Test
  void besselI0MatchesKnownValues() {
    assertEquals(1.0, Resampler.besselI0(0), 1e-15);
    assertEquals(1.2660658777520082, Resampler.besselI0(1), 1e-14);
    assertEquals(2815.716628466254, Resampler.besselI0(10), 1e-9);
  }
}
