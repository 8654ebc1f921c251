package org.seq4j.io;

/** Conversions from the 16-bit float formats found in safetensors files to {@code float}. */
final class HalfFloats {
  private HalfFloats() {}

  /**
   * Converts an IEEE 754 binary16 value, given as its 16 bits, to the {@code float} of the same
   * value. Every binary16 value, subnormals included, is exactly representable as a float; NaNs
   * keep their sign and payload.
   */
  static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      // Infinity (mantissa 0) or NaN: all-ones float exponent, mantissa moved to the top bits.
      return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: the value is mantissa * 2^-24, which a float holds exactly (as a
      // normal number), so let the FPU normalize it instead of shifting bits by hand.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
    return Float.intBitsToFloat(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
  }

  /**
   * Converts a bfloat16 value, given as its 16 bits, to {@code float}. A bfloat16 is the top half
   * of a float, so this is exact.
   */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
