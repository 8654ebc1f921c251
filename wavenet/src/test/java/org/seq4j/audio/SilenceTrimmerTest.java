package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SilenceTrimmerTest {

  /** 0.3 s of faint noise, 0.5 s of tone, 0.2 s of faint noise at 8 kHz. */
  private static AudioClip paddedTone(double noiseDb) {
    Random random = new Random(7);
    float noise = (float) Math.pow(10, noiseDb / 20);
    float[] x = new float[8000];
    for (int i = 0; i < x.length; i++) {
      boolean loud = i >= 2400 && i < 6400;
      x[i] =
          loud
              ? (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 8000.0))
              : noise * (float) random.nextGaussian();
    }
    return new AudioClip(x, 8000);
  }

  @Test
  void trimsLeadingAndTrailingSilenceToFrameBoundaries() {
    List<String> notices = new ArrayList<>();
    AudioClip trimmed = new SilenceTrimmer().trim(paddedTone(-60), "tone.wav", notices::add);
    assertEquals(
        4000, trimmed.length()); // 10 ms = 80-sample frames: 2400 and 6400 are frame boundaries
    assertEquals(List.of(), notices);
    assertEquals(paddedTone(-60).slice(2400, 6400), trimmed);
  }

  @Test
  void theThresholdDecidesWhatIsSilence() {
    AudioClip clip = paddedTone(-30); // noise at -30 dBFS RMS is not silence at -40
    assertSame(clip, new SilenceTrimmer().trim(clip, "x", n -> {}));
    SilenceTrimmer strict = new SilenceTrimmer(-20, 0.01);
    assertEquals(new SilenceTrimmer.Span(2400, 6400), strict.loudSpan(clip));
  }

  @Test
  void anAllSilentClipIsKeptWholeWithAWarning() {
    AudioClip silent = new AudioClip(new float[16000], 8000);
    List<String> notices = new ArrayList<>();
    AudioClip kept = new SilenceTrimmer().trim(silent, "silence/1.wav", notices::add);
    assertSame(silent, kept);
    assertEquals(1, notices.size());
    assertEquals(
        "silence/1.wav: all of it (2.00 s) is below the silence threshold of -40.0 dBFS;"
            + " kept whole, untrimmed",
        notices.get(0));
    assertNull(new SilenceTrimmer().loudSpan(new AudioClip(new float[0], 8000)));
  }

  @Test
  void aLastPartialFrameCounts() {
    float[] x = new float[1005];
    x[1003] = 0.9f;
    SilenceTrimmer.Span span =
        new SilenceTrimmer(-40, 0.01).loudSpan(new AudioClip(x, 1000)); // 10-sample frames
    assertEquals(new SilenceTrimmer.Span(1000, 1005), span);
    assertEquals(5, span.length());
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SilenceTrimmer(Double.NaN, 0.01));
    assertThrows(IllegalArgumentException.class, () -> new SilenceTrimmer(-40, 0));
  }
}
