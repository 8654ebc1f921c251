package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorMathTest {
  private static float[] grid(float from, float to, int n) {
    float[] x = new float[PackedMatrix.padded(n)];
    for (int i = 0; i < x.length; i++) {
      x[i] = from + (to - from) * i / (x.length - 1);
    }
    return x;
  }

  @Test
  void tanhIsWithinAMillionthOfExact() {
    float[] x = grid(-20f, 20f, 400_000);
    float[] y = x.clone();
    VectorMath.tanh(y, 0, y.length, 1f);
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      worst = Math.max(worst, Math.abs(y[i] - Math.tanh(x[i])));
    }
    System.out.printf("tanh: worst absolute error %.2e%n", worst);
    assertTrue(worst < 1e-6, "tanh error " + worst);
  }

  @Test
  void gatedActivationIsTanhTimesSigmoid() {
    int width = 2 * PackedMatrix.LANES;
    float[] a = grid(-12f, 12f, 2 * width);
    float[] z = new float[width];
    VectorMath.gatedActivation(a.clone(), 0, width, z, 0);
    double worst = 0;
    for (int o = 0; o < width; o++) {
      double expected = Math.tanh(a[o]) / (1 + Math.exp(-a[width + o]));
      worst = Math.max(worst, Math.abs(z[o] - expected));
    }
    assertTrue(worst < 1e-6, "gate error " + worst);
  }

  @Test
  void expIsWithinAFewUlps() {
    float[] x = grid(-87f, 88f, 400_000);
    float[] y = x.clone();
    VectorMath.exp(y, 0, y.length, 0f, 1f);
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      double e = Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(y[i] - e) / e);
    }
    System.out.printf("exp: worst relative error %.2e%n", worst);
    assertTrue(worst < 5e-7, "exp error " + worst);
  }
}
