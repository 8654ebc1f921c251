package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpectrogramTest {

  @Test
  void fftMatchesTheDefinition() {
    Random random = new Random(3);
    int n = 64;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = random.nextGaussian();
      im[i] = random.nextGaussian();
    }
    double[] xr = re.clone();
    double[] xi = im.clone();
    Fft.transform(re, im);
    for (int k = 0; k < n; k++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < n; t++) {
        double w = -2 * Math.PI * k * t / n;
        sr += xr[t] * Math.cos(w) - xi[t] * Math.sin(w);
        si += xr[t] * Math.sin(w) + xi[t] * Math.cos(w);
      }
      assertEquals(sr, re[k], 1e-9);
      assertEquals(si, im[k], 1e-9);
    }
    assertThrows(IllegalArgumentException.class, () -> Fft.transform(new double[6], new double[6]));
    assertEquals(256, Fft.ceilPowerOfTwo(200));
  }

  @Test
  void aSineOnABinReadsItsAmplitudeInDb() {
    int rate = 8000;
    float[] x = new float[4000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / rate));
    }
    Spectrogram s = Spectrogram.of(new AudioClip(x, rate), 256, 64);
    assertEquals(1 + (4000 - 256 + 63) / 64, s.frames());
    assertEquals(129, s.bins());
    int bin = 32; // 1000 Hz at 8000 / 256 Hz per bin
    assertEquals(1000.0, s.binHz(bin), 1e-9);
    for (int f = 0; f < s.frames() - 1; f++) {
      assertEquals(20 * Math.log10(0.5), s.db(f, bin), 0.01);
      assertTrue(s.db(f, bin + 4) < -60, "leakage at frame " + f);
    }
    assertEquals(20 * Math.log10(0.5), s.maxDb(), 0.01);
    assertEquals(128 / 8000.0, s.frameCenterSeconds(0), 1e-12);
  }

  @Test
  void aShortClipIsOneZeroPaddedFrame() {
    Spectrogram s = Spectrogram.of(new AudioClip(new float[10], 8000), 64, 16);
    assertEquals(1, s.frames());
    assertEquals(Spectrogram.FLOOR_DB, s.db(0, 3), 0);
  }
}
