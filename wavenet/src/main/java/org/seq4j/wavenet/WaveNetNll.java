package org.seq4j.wavenet;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.seq4j.engine.Steps;
import org.seq4j.nn.Losses;

/**
 * The negative log-likelihood of whole clips under a {@link WaveNet}, as validation and {@code
 * wavenet nll} report it: every sample of a clip is scored given the clip's earlier samples and,
 * before its start, silence (the {@link WaveNetGenerator#silence() silence} class) — the context
 * generation starts from. Long clips are scored in pieces of at most {@code piece} samples, each
 * with its full receptive field of real context, so the result does not depend on the piece size.
 */
public final class WaveNetNll {
  /** Samples scored per forward pass by default. */
  public static final int DEFAULT_PIECE = 16_000;

  private WaveNetNll() {}

  /**
   * The summed loss and the number of samples it covers.
   *
   * @param nats the summed negative log-likelihood in nats
   * @param samples the number of samples scored
   */
  public record Result(double nats, long samples) {
    /** Nats per sample. */
    public double natsPerSample() {
      return nats / samples;
    }

    /** Bits per sample; 8 for a uniform guess over 256 classes. */
    public double bitsPerSample() {
      return natsPerSample() / Math.log(2);
    }

    /** The sum of two results. */
    public Result plus(Result other) {
      return new Result(nats + other.nats, samples + other.samples);
    }
  }

  /**
   * Scores {@code clips} (μ-law classes), each piece in a child of {@code manager}.
   *
   * @throws IllegalArgumentException if a class is out of range or {@code piece < 1}
   */
  public static Result score(WaveNet net, NDManager manager, List<int[]> clips, int piece) {
    Result total = new Result(0, 0);
    for (int[] clip : clips) {
      total = total.plus(score(net, manager, clip, piece));
    }
    return total;
  }

  /** Scores one clip; see {@link #score(WaveNet, NDManager, List, int)}. */
  public static Result score(WaveNet net, NDManager manager, int[] clip, int piece) {
    if (piece < 1) {
      throw new IllegalArgumentException("piece: must be positive, got " + piece);
    }
    int field = Math.toIntExact(net.receptiveField());
    int silence = net.config().classes() / 2;
    double nats = 0;
    for (int from = 0; from < clip.length; from += piece) {
      int to = Math.min(clip.length, from + piece);
      // Inputs: the field samples before `from` (silence before the clip), then clip[from, to).
      // lossSum scores the targets after the first `field` inputs: exactly clip[from, to).
      long[] window = new long[field + to - from];
      for (int i = 0; i < window.length; i++) {
        int t = from - field + i;
        window[i] = t < 0 ? silence : clip[t];
      }
      nats +=
          Steps.scoped(
              manager,
              m -> {
                Losses.TokenSum s =
                    net.lossSum(m.create(window, new Shape(1, window.length)), null, null);
                return (double) s.sum().getFloat();
              });
    }
    return new Result(nats, clip.length);
  }
}
