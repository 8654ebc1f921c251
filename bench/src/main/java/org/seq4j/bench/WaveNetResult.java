package org.seq4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the WaveNet benchmark's report: the throughput of one implementation on one case (op,
 * model, batch) at one thread count.
 *
 * @param op {@code wavenet-train} or {@code wavenet-generate}
 * @param model {@code a} or {@code b}
 * @param impl {@code seq4j} or {@code pytorch} (training); {@code seq4j-fast}, {@code seq4j-naive},
 *     {@code djl-fast} or {@code pytorch-fast} (generation)
 * @param batch windows per training step, or clips generated at once
 * @param threads the thread count: libtorch's or PyTorch's intra-op threads, or the plain-Java
 *     generator's threads
 * @param samplesPerS samples per second at the median time per call: scored samples for training,
 *     generated samples (all clips) for generation
 * @param usPerCall the median over rounds of the microseconds per call
 * @param samplesPerCall the samples one call counts
 * @param rounds the number of timed rounds
 * @param extra further fields, in order, that the JSON output carries after the fixed ones
 */
public record WaveNetResult(
    String op,
    String model,
    String impl,
    int batch,
    int threads,
    double samplesPerS,
    double usPerCall,
    long samplesPerCall,
    int rounds,
    Map<String, Object> extra) {

  /** Audio sample rates for which the report gives the real-time factor. */
  public static final int[] RATES_HZ = {8000, 16000};

  /** Validates the fields and freezes {@code extra}. */
  public WaveNetResult {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(impl, "impl");
    extra = ResultFields.frozen(extra);
  }

  /**
   * The result of one contender's rounds: throughput from the median time, the slowest and fastest
   * rounds' throughput as extra fields.
   */
  public static WaveNetResult of(
      String op, String model, int batch, int threads, long samplesPerCall, RoundSeries series) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("min_samples_per_s", perSecond(samplesPerCall, series.maxUsPerOp()));
    extra.put("max_samples_per_s", perSecond(samplesPerCall, series.minUsPerOp()));
    return new WaveNetResult(
        op,
        model,
        series.impl(),
        batch,
        threads,
        perSecond(samplesPerCall, series.medianUsPerOp()),
        series.medianUsPerOp(),
        samplesPerCall,
        series.rounds(),
        extra);
  }

  private static double perSecond(long samples, double usPerCall) {
    return samples / (usPerCall * 1e-6);
  }

  /** Samples per second over the audio rate: above 1 is faster than real time. */
  public double realTimeFactor(int rateHz) {
    return samplesPerS / rateHz;
  }

  /** Returns a copy with {@code key} set to {@code value} among the extra fields. */
  public WaveNetResult withExtra(String key, Object value) {
    return new WaveNetResult(
        op,
        model,
        impl,
        batch,
        threads,
        samplesPerS,
        usPerCall,
        samplesPerCall,
        rounds,
        ResultFields.with(extra, key, value));
  }

  /** Whether {@code other} measured the same case (op, model, batch, threads). */
  public boolean sameCase(WaveNetResult other) {
    return op.equals(other.op)
        && model.equals(other.model)
        && batch == other.batch
        && threads == other.threads;
  }

  /**
   * The fields in JSON order: {@code op}, {@code model}, {@code impl}, {@code batch}, {@code
   * threads}, {@code samples_per_s}, {@code rounds}, {@code us_per_call}, {@code samples_per_call},
   * {@code rtf_8khz}, {@code rtf_16khz}, then the extra fields.
   */
  public Map<String, Object> toJsonFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("op", op);
    fields.put("model", model);
    fields.put("impl", impl);
    fields.put("batch", batch);
    fields.put("threads", threads);
    fields.put("samples_per_s", ResultFields.round(samplesPerS, 1));
    fields.put("rounds", rounds);
    fields.put("us_per_call", ResultFields.round(usPerCall, 1));
    fields.put("samples_per_call", samplesPerCall);
    for (int rate : RATES_HZ) {
      fields.put("rtf_" + rate / 1000 + "khz", ResultFields.round(realTimeFactor(rate), 4));
    }
    ResultFields.putRounded(
        fields, extra, key -> key.contains("diff") ? 9 : key.contains("ratio") ? 4 : 1);
    return fields;
  }
}
