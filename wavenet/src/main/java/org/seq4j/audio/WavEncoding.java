package org.seq4j.audio;

/** How a WAV file stores its samples. */
public enum WavEncoding {
  /** 8-bit unsigned integers, 128 = 0. */
  PCM_U8(8, "8-bit PCM"),
  /** 16-bit signed integers. */
  PCM_16(16, "16-bit PCM"),
  /** 24-bit signed integers. */
  PCM_24(24, "24-bit PCM"),
  /** 32-bit signed integers. */
  PCM_32(32, "32-bit PCM"),
  /** IEEE 754 32-bit floats. */
  FLOAT_32(32, "32-bit float"),
  /** IEEE 754 64-bit floats. */
  FLOAT_64(64, "64-bit float");

  private final int bits;
  private final String label;

  WavEncoding(int bits, String label) {
    this.bits = bits;
    this.label = label;
  }

  /** Bits per sample. */
  public int bits() {
    return bits;
  }

  /** Bytes per sample. */
  public int bytes() {
    return bits / 8;
  }

  /** Whether samples are IEEE floats. */
  public boolean isFloat() {
    return this == FLOAT_32 || this == FLOAT_64;
  }

  /** Whether the reader takes it as it is (16-bit PCM, 32-bit float) rather than converting it. */
  public boolean isNative() {
    return this == PCM_16 || this == FLOAT_32;
  }

  /** A short name, such as "16-bit PCM". */
  public String label() {
    return label;
  }
}
