package org.seq4j.cli.plot;

/**
 * The viridis colour map (van der Walt and Smith, matplotlib 2.0), linearly interpolated between
 * nine of its colours: dark blue for low values, yellow for high ones, readable in grey scale.
 */
final class Viridis {
  private static final int[] STOPS = {
    0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725
  };

  private Viridis() {}

  /** The colour of {@code v} in [0, 1] (clamped) as {@code 0xRRGGBB}. */
  static int rgb(double v) {
    double x = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
    int i = Math.min((int) x, STOPS.length - 2);
    double t = x - i;
    int a = STOPS[i];
    int b = STOPS[i + 1];
    return mix(a >> 16, b >> 16, t) << 16 | mix(a >> 8, b >> 8, t) << 8 | mix(a, b, t);
  }

  private static int mix(int a, int b, double t) {
    return (int) Math.round((a & 0xFF) * (1 - t) + (b & 0xFF) * t);
  }
}
