package org.seq4j.wavenet;

import static org.seq4j.wavenet.PackedMatrix.LANES;
import static org.seq4j.wavenet.PackedMatrix.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** Element-wise functions on whole vectors: tanh, the WaveNet gate, ReLU and exp. */
final class VectorMath {
  // tanh: Eigen's rational approximation (MathFunctionsImpl.h, generic_fast_tanh_float), odd
  // numerator of degree 13 over an even denominator of degree 6; within 2.4e-7 of tanh on
  // [-7.905, 7.905], where it is clamped (tanh(7.905) = 1 - 2.6e-7).
  private static final float TANH_CLAMP = 7.90531110763549805f;
  private static final float A13 = -2.76076847742355e-16f;
  private static final float A11 = 2.00018790482477e-13f;
  private static final float A9 = -8.60467152213735e-11f;
  private static final float A7 = 5.12229709037114e-08f;
  private static final float A5 = 1.48572235717979e-05f;
  private static final float A3 = 6.37261928875436e-04f;
  private static final float A1 = 4.89352455891786e-03f;
  private static final float B6 = 1.19825839466702e-06f;
  private static final float B4 = 1.18534705686654e-04f;
  private static final float B2 = 2.26843463243900e-03f;
  private static final float B0 = 4.89352518554385e-03f;

  // exp: Cephes expf. x = n·ln2 + r with n = round(x·log2(e)), |r| ≤ ln2/2; e^r by a degree-7
  // polynomial (relative error ~1e-7); 2^n built in the exponent bits.
  private static final float EXP_HI = 88.0f;
  private static final float EXP_LO = -87.0f;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float ROUND = 12582912f; // 1.5·2^23: adding it rounds to an integer
  private static final int ROUND_BITS = 0x4B400000; // Float.floatToIntBits(ROUND)
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;

  private VectorMath() {}

  /**
   * {@code a[i] = tanh(scale·a[i])} in place over {@code length} floats, a whole number of vectors;
   * within 2.4e-7 of the exact value (plus float rounding).
   *
   * <p>Array in, array out on purpose: a method of ours that takes or returns vectors is only free
   * when the JIT inlines it, and inside a large caller it may not; these loops stay allocation-free
   * either way.
   */
  static void tanh(float[] a, int off, int length, float scale) {
    FloatVector a13 = FloatVector.broadcast(SPECIES, A13);
    FloatVector a11 = FloatVector.broadcast(SPECIES, A11);
    FloatVector a9 = FloatVector.broadcast(SPECIES, A9);
    FloatVector a7 = FloatVector.broadcast(SPECIES, A7);
    FloatVector a5 = FloatVector.broadcast(SPECIES, A5);
    FloatVector a3 = FloatVector.broadcast(SPECIES, A3);
    FloatVector a1 = FloatVector.broadcast(SPECIES, A1);
    FloatVector b6 = FloatVector.broadcast(SPECIES, B6);
    FloatVector b4 = FloatVector.broadcast(SPECIES, B4);
    FloatVector b2 = FloatVector.broadcast(SPECIES, B2);
    FloatVector b0 = FloatVector.broadcast(SPECIES, B0);
    for (int i = 0; i < length; i += LANES) {
      FloatVector x =
          FloatVector.fromArray(SPECIES, a, off + i).mul(scale).max(-TANH_CLAMP).min(TANH_CLAMP);
      FloatVector x2 = x.mul(x);
      FloatVector p = x2.fma(a13, a11).fma(x2, a9).fma(x2, a7).fma(x2, a5).fma(x2, a3);
      p = p.fma(x2, a1).mul(x);
      FloatVector q = x2.fma(b6, b4).fma(x2, b2).fma(x2, b0);
      p.div(q).intoArray(a, off + i);
    }
  }

  /**
   * The gated activation of WaveNet (van den Oord et al. 2016, eq. 2), {@code z = tanh(f) ⊙ σ(g)},
   * for {@code f = a[aOff, aOff + width)} and {@code g = a[aOff + width, aOff + 2·width)}; {@code
   * width} is a whole number of vectors. σ(g) = (1 + tanh(g/2))/2, so one tanh serves both. {@code
   * a} is overwritten.
   */
  static void gatedActivation(float[] a, int aOff, int width, float[] z, int zOff) {
    tanh(a, aOff, width, 1f);
    tanh(a, aOff + width, width, 0.5f);
    for (int o = 0; o < width; o += LANES) {
      FloatVector f = FloatVector.fromArray(SPECIES, a, aOff + o);
      FloatVector g = FloatVector.fromArray(SPECIES, a, aOff + width + o);
      f.mul(g.fma(0.5f, 0.5f)).intoArray(z, zOff + o);
    }
  }

  /** max(a, 0) in place over {@code length} floats, a whole number of vectors. */
  static void relu(float[] a, int off, int length) {
    for (int i = 0; i < length; i += LANES) {
      FloatVector.fromArray(SPECIES, a, off + i).max(0f).intoArray(a, off + i);
    }
  }

  /**
   * {@code a[i] = exp((a[i] − shift)·scale)} in place over {@code length} floats, a whole number of
   * vectors; relative error about 1e-7 for arguments in [-87, 88], clamped outside.
   */
  static void exp(float[] a, int off, int length, float shift, float scale) {
    FloatVector p0 = FloatVector.broadcast(SPECIES, P0);
    FloatVector p1 = FloatVector.broadcast(SPECIES, P1);
    FloatVector p2 = FloatVector.broadcast(SPECIES, P2);
    FloatVector p3 = FloatVector.broadcast(SPECIES, P3);
    FloatVector p4 = FloatVector.broadcast(SPECIES, P4);
    FloatVector p5 = FloatVector.broadcast(SPECIES, P5);
    FloatVector ln2Hi = FloatVector.broadcast(SPECIES, -LN2_HI);
    FloatVector ln2Lo = FloatVector.broadcast(SPECIES, -LN2_LO);
    for (int i = 0; i < length; i += LANES) {
      FloatVector x =
          FloatVector.fromArray(SPECIES, a, off + i).sub(shift).mul(scale).max(EXP_LO).min(EXP_HI);
      FloatVector shifted = x.fma(LOG2E, ROUND); // n in the low mantissa bits
      FloatVector n = shifted.sub(ROUND);
      FloatVector r = n.fma(ln2Hi, x);
      r = n.fma(ln2Lo, r);
      FloatVector r2 = r.mul(r);
      FloatVector y = r.fma(p0, p1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5);
      y = y.fma(r2, r).add(1f);
      // 2^n from the bits of ROUND + n (0x4B400000 + n), without a float-to-int conversion
      IntVector bits = (IntVector) shifted.reinterpretAsInts();
      FloatVector twoToN =
          bits.sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      y.mul(twoToN).intoArray(a, off + i);
    }
  }
}
