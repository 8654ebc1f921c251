package org.seq4j.audio;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trims leading and trailing silence. The clip is cut into frames ({@link #DEFAULT_FRAME_SECONDS}
 * long by default); a frame is loud when its RMS level, {@code 20 · log10(rms)} in dB relative to
 * full scale 1.0 (dBFS), reaches the threshold. The trimmed clip runs from the first sample of the
 * first loud frame to the last sample of the last loud frame; silence inside it is kept.
 *
 * <p>A clip with no loud frame at all is never dropped: it is returned whole, and a warning goes to
 * the notice consumer.
 */
public final class SilenceTrimmer {
  /** The default threshold: frames quieter than −40 dBFS RMS are silence. */
  public static final double DEFAULT_THRESHOLD_DB = -40;

  /** The default frame length: 10 ms. */
  public static final double DEFAULT_FRAME_SECONDS = 0.010;

  private final double thresholdDb;
  private final double frameSeconds;

  /** Trims at {@link #DEFAULT_THRESHOLD_DB} with {@link #DEFAULT_FRAME_SECONDS} frames. */
  public SilenceTrimmer() {
    this(DEFAULT_THRESHOLD_DB, DEFAULT_FRAME_SECONDS);
  }

  /**
   * Trims frames of {@code frameSeconds} whose RMS level is below {@code thresholdDb} dBFS.
   *
   * @throws IllegalArgumentException if the threshold is not finite or the frame length is not
   *     positive
   */
  public SilenceTrimmer(double thresholdDb, double frameSeconds) {
    if (!Double.isFinite(thresholdDb)) {
      throw new IllegalArgumentException("silence threshold must be finite, got " + thresholdDb);
    }
    if (!(frameSeconds > 0)) {
      throw new IllegalArgumentException("frame length must be positive, got " + frameSeconds);
    }
    this.thresholdDb = thresholdDb;
    this.frameSeconds = frameSeconds;
  }

  /** The threshold in dBFS. */
  public double thresholdDb() {
    return thresholdDb;
  }

  /**
   * The samples {@code [start, end)} from the first to the last loud frame.
   *
   * @param start the first kept sample
   * @param end one past the last kept sample
   */
  public record Span(int start, int end) {
    /** The number of samples in the span. */
    public int length() {
      return end - start;
    }
  }

  /** The loud span of {@code clip}, or {@code null} when no frame reaches the threshold. */
  public Span loudSpan(AudioClip clip) {
    float[] x = clip.view();
    int frame = Math.max(1, (int) Math.round(frameSeconds * clip.sampleRate()));
    // rms >= 10^(dB/20)  <=>  mean square >= 10^(dB/10)
    double minMeanSquare = Math.pow(10, thresholdDb / 10);
    int start = -1;
    int end = -1;
    for (int from = 0; from < x.length; from += frame) {
      int to = Math.min(x.length, from + frame);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += (double) x[i] * x[i];
      }
      if (sum / (to - from) >= minMeanSquare) {
        if (start < 0) {
          start = from;
        }
        end = to;
      }
    }
    return start < 0 ? null : new Span(start, end);
  }

  /**
   * {@code clip} without its leading and trailing silence; the whole clip, with a warning to {@code
   * notices}, when all of it is below the threshold.
   *
   * @param name names the clip in the warning (its file, usually)
   */
  public AudioClip trim(AudioClip clip, String name, Consumer<String> notices) {
    Span span = loudSpan(clip);
    if (span == null) {
      notices.accept(
          String.format(
              Locale.ROOT,
              "%s: all of it (%.2f s) is below the silence threshold of %.1f dBFS; kept whole,"
                  + " untrimmed",
              name,
              clip.seconds(),
              thresholdDb));
      return clip;
    }
    if (span.start() == 0 && span.end() == clip.length()) {
      return clip;
    }
    return clip.slice(span.start(), span.end());
  }
}
