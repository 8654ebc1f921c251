package org.seq4j.audio;

/**
 * μ-law companding with μ = 255 to 256 classes, as WaveNet (van den Oord et al. 2016, Sec. 2.2) and
 * tensorflow-wavenet's {@code mu_law_encode} / {@code mu_law_decode} define it.
 *
 * <pre>
 *   encode:  F(x) = sign(x) · ln(1 + μ|x|) / ln(1 + μ),   |x| clipped to 1
 *            class = floor((F(x) + 1) / 2 · μ + 0.5)       in 0..255
 *   decode:  y = 2 · class / μ − 1
 *            x = sign(y) · ((1 + μ)^|y| − 1) / μ
 * </pre>
 *
 * <p>Class 0 is −1, class 255 is +1, and silence (0) is class {@link #MIDDLE} = 128, which decodes
 * to 8.6e-5 (the 256 classes have no exact zero). The classes are ordered as the samples are, and a
 * round trip is off by at most half a class step, which in the sample domain is at most {@code ln(1
 * + μ) / μ · (1 + μ)^(1/μ) · (|x| + 1/μ)} (the slope of the decoder, {@code ln(1 + μ) · (|x| +
 * 1/μ)}, times half a step, {@code 1/μ}): about 2.2% of {@code |x| + 1/255}.
 */
public final class MuLaw {
  /** μ. */
  public static final int MU = 255;

  /** The number of classes. */
  public static final int CLASSES = MU + 1;

  /** The class of silence. */
  public static final int MIDDLE = 128;

  private static final double LOG1P_MU = Math.log1p(MU);

  private MuLaw() {}

  /** The class of sample {@code x} (clipped to [-1, 1]). */
  public static int encode(float x) {
    if (Float.isNaN(x)) {
      throw new IllegalArgumentException("cannot μ-law encode NaN");
    }
    double magnitude = Math.log1p(MU * Math.min(Math.abs(x), 1.0)) / LOG1P_MU;
    double companded = Math.signum(x) * magnitude;
    return (int) ((companded + 1) / 2 * MU + 0.5);
  }

  /** The sample that class {@code c} (0..255) stands for. */
  public static float decode(int c) {
    if (c < 0 || c > MU) {
      throw new IllegalArgumentException("μ-law class must be in 0.." + MU + ", got " + c);
    }
    double companded = 2.0 * c / MU - 1;
    double magnitude = (Math.pow(1 + MU, Math.abs(companded)) - 1) / MU;
    return (float) (Math.signum(companded) * magnitude);
  }

  /** The classes of {@code samples}. */
  public static int[] encode(float[] samples) {
    int[] classes = new int[samples.length];
    for (int i = 0; i < samples.length; i++) {
      classes[i] = encode(samples[i]);
    }
    return classes;
  }

  /** The samples of {@code classes}. */
  public static float[] decode(int[] classes) {
    float[] samples = new float[classes.length];
    for (int i = 0; i < classes.length; i++) {
      samples[i] = decode(classes[i]);
    }
    return samples;
  }
}
