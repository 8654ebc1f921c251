package org.seq4j.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The most that a fused decoder can gain over the step-by-step one in {@code bench nmt}'s training
 * call: both spend the same time on the encoder, the projection, the loss and Adam ({@link
 * NmtTrainer#sharedPart}), so even a decoder of no cost makes {@code seq4j} at most {@code stepwise
 * time / shared time} times faster than {@code seq4j-stepwise} (Amdahl's law).
 *
 * @param threads the intra-op thread count
 * @param sharedUsPerCall the median time of the shared part alone, per training step
 * @param stepwiseUsPerCall the median time of the step-by-step training step
 */
record TrainBound(int threads, double sharedUsPerCall, double stepwiseUsPerCall) {
  /** The {@code op} of a bound's JSON line. */
  static final String OP = "nmt-train-bound";

  /** Validates the times. */
  TrainBound {
    if (!(sharedUsPerCall > 0) || !(stepwiseUsPerCall > 0)) {
      throw new IllegalArgumentException(
          "times must be > 0, got " + sharedUsPerCall + " and " + stepwiseUsPerCall);
    }
  }

  /** {@code stepwise time / shared time}: seq4j / seq4j-stepwise with a decoder of no cost. */
  double maxRatio() {
    return stepwiseUsPerCall / sharedUsPerCall;
  }

  /** {@code op}, {@code threads}, the two times and {@code max_tokens_per_s_ratio_vs_...}. */
  Map<String, Object> toJsonFields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", OP);
    out.put("threads", threads);
    out.put("shared_us_per_call", sharedUsPerCall);
    out.put("stepwise_us_per_call", stepwiseUsPerCall);
    out.put("max_tokens_per_s_ratio_vs_" + NmtBench.STEPWISE, maxRatio());
    return out;
  }

  /** The footer line. */
  String line() {
    return String.format(
        Locale.ROOT,
        "bound, %d thread(s): encoder, projection, loss and Adam alone (%s) take %.0f ms a"
            + " training step, %s %.0f ms, so even a decoder of no cost gives seq4j/%s at most"
            + " %.2f",
        threads,
        NmtTrainer.SHARED_PART,
        sharedUsPerCall / 1e3,
        NmtBench.STEPWISE,
        stepwiseUsPerCall / 1e3,
        NmtBench.STEPWISE,
        maxRatio());
  }
}
