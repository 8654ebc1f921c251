package org.seq4j.audio;

/**
 * What a WAV file's header says about its audio.
 *
 * @param encoding how the samples are stored
 * @param channels the number of channels
 * @param sampleRate frames per second
 * @param frames the number of frames (one sample per channel each)
 */
public record WavInfo(WavEncoding encoding, int channels, int sampleRate, long frames) {

  /** The duration in seconds. */
  public double seconds() {
    return frames / (double) sampleRate;
  }

  /** A short description, such as "8000 Hz 16-bit PCM mono". */
  public String describe() {
    String layout = channels == 1 ? "mono" : channels == 2 ? "stereo" : channels + " channels";
    return sampleRate + " Hz " + encoding.label() + " " + layout;
  }
}
