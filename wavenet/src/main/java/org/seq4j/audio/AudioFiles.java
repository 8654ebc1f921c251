package org.seq4j.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** Loads audio files as a model needs them: mono, at the model's sample rate. */
public final class AudioFiles {
  private AudioFiles() {}

  /**
   * Reads {@code file} ({@link WavReader}) and resamples it to {@code sampleRate} ({@link
   * Resampler}) when its rate differs, with a notice.
   *
   * @param notices receives one line per conversion
   */
  public static AudioClip load(Path file, int sampleRate, Consumer<String> notices)
      throws IOException {
    AudioClip clip = WavReader.read(file, notices);
    if (clip.sampleRate() == sampleRate) {
      return clip;
    }
    notices.accept(
        String.format(
            Locale.ROOT, "%s: resampled from %d Hz to %d Hz", file, clip.sampleRate(), sampleRate));
    return Resampler.resample(clip, sampleRate);
  }
}
