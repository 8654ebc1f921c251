package org.seq4j.audio;

/** The discrete Fourier transform of a power-of-two length, in place (iterative radix-2). */
public final class Fft {
  private Fft() {}

  /**
   * Replaces {@code (re, im)} by its transform {@code X[k] = Σ_n x[n] · e^(−2πi·kn/N)}.
   *
   * @throws IllegalArgumentException if the length is not a power of two or the arrays differ
   */
  public static void transform(double[] re, double[] im) {
    int n = re.length;
    if (im.length != n || n == 0 || (n & (n - 1)) != 0) {
      throw new IllegalArgumentException(
          "FFT length must be a power of two and the same for both arrays, got "
              + n
              + " and "
              + im.length);
    }
    // Bit-reversal permutation.
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    // Butterflies of size 2, 4, ..., n.
    for (int size = 2; size <= n; size <<= 1) {
      double angle = -2 * Math.PI / size;
      int half = size >> 1;
      for (int k = 0; k < half; k++) {
        double wr = Math.cos(angle * k);
        double wi = Math.sin(angle * k);
        for (int start = k; start < n; start += size) {
          int other = start + half;
          double xr = re[other] * wr - im[other] * wi;
          double xi = re[other] * wi + im[other] * wr;
          re[other] = re[start] - xr;
          im[other] = im[start] - xi;
          re[start] += xr;
          im[start] += xi;
        }
      }
    }
  }

  /** The smallest power of two at least {@code n}. */
  public static int ceilPowerOfTwo(int n) {
    int p = 1;
    while (p < n) {
      p <<= 1;
    }
    return p;
  }
}
