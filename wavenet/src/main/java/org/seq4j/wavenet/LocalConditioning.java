package org.seq4j.wavenet;

/**
 * Local conditioning features at the sample rate (already upsampled), one vector of {@link
 * WaveNetConfig#localChannels()} floats per clip and input step.
 *
 * <p>Step {@code t} is the {@code t}-th input fed to the network, priming included; its features
 * condition the logits computed from that input, which predict sample {@code t + 1}.
 */
@FunctionalInterface
public interface LocalConditioning {
  /**
   * Writes the features of {@code clip} at input step {@code step} into {@code dst[offset, offset +
   * channels)}. Called once per clip and step, on a generation thread; must not allocate if the
   * generation is to stay allocation-free.
   */
  void features(int clip, long step, float[] dst, int offset);

  /** The feature width, to check against the model; -1 when unknown. */
  default int channels() {
    return -1;
  }

  /**
   * Features held in memory, {@code features[clip][step][channel]}.
   *
   * @throws IllegalArgumentException on a missing clip or ragged channels
   */
  static LocalConditioning of(float[][][] features) {
    if (features == null) {
      throw new IllegalArgumentException("local features: null");
    }
    int width = -1;
    for (int c = 0; c < features.length; c++) {
      if (features[c] == null || features[c].length == 0 || features[c][0] == null) {
        throw new IllegalArgumentException("local features: clip " + c + " has no steps");
      }
      width = c == 0 ? features[0][0].length : width;
      for (float[] step : features[c]) {
        if (step == null || step.length != width) {
          throw new IllegalArgumentException(
              "local features: clip " + c + " has a step not " + width + " wide");
        }
      }
    }
    int channels = width;
    return new LocalConditioning() {
      @Override
      public int channels() {
        return channels;
      }

      @Override
      public void features(int clip, long step, float[] dst, int offset) {
        if (clip >= features.length) {
          throw new IllegalArgumentException(
              "local features: no clip " + clip + " (" + features.length + " given)");
        }
        float[][] steps = features[clip];
        if (step >= steps.length) {
          throw new IllegalArgumentException(
              "local features: clip "
                  + clip
                  + " has "
                  + steps.length
                  + " steps, step "
                  + step
                  + " needed");
        }
        System.arraycopy(steps[(int) step], 0, dst, offset, channels);
      }
    };
  }
}
