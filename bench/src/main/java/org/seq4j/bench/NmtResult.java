package org.seq4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of {@code bench nmt}'s report: the throughput of one implementation on one case
 * (training, or translation at one beam width) at one intra-op thread count.
 *
 * @param op {@code nmt-train} or {@code nmt-translate}
 * @param impl {@code seq4j}, {@code seq4j-stepwise} or {@code pytorch}
 * @param beam the beam width of a translation, null for training
 * @param threads the intra-op thread count
 * @param tokensPerS tokens per second at the median time per call
 * @param sentencesPerS sentences (training pairs, or sources translated) per second at that time
 * @param usPerCall the median over rounds of the microseconds per call
 * @param tokensPerCall the tokens one call processes: source + target tokens of the training batch,
 *     or the target tokens the translation produced, EOS included
 * @param sentencesPerCall the sentence pairs of the training batch, or the sources translated
 * @param heapBytesPerCall the median Java heap bytes allocated per call, or null where not measured
 * @param rounds the number of timed rounds
 * @param extra further fields, in order, that the JSON output carries after the fixed ones
 */
public record NmtResult(
    String op,
    String impl,
    Integer beam,
    int threads,
    double tokensPerS,
    double sentencesPerS,
    double usPerCall,
    long tokensPerCall,
    int sentencesPerCall,
    Double heapBytesPerCall,
    int rounds,
    Map<String, Object> extra) {

  /** Validates the fields and freezes {@code extra}. */
  public NmtResult {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(impl, "impl");
    extra = ResultFields.frozen(extra);
  }

  /**
   * The result of one contender's rounds: throughput at the median time, and the fastest and
   * slowest rounds' tokens per second as extra fields.
   */
  public static NmtResult of(
      String op,
      Integer beam,
      int threads,
      long tokensPerCall,
      int sentencesPerCall,
      RoundSeries s) {
    double median = s.medianUsPerOp();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("min_tokens_per_s", perSecond(tokensPerCall, s.maxUsPerOp()));
    extra.put("max_tokens_per_s", perSecond(tokensPerCall, s.minUsPerOp()));
    return new NmtResult(
        op,
        s.impl(),
        beam,
        threads,
        perSecond(tokensPerCall, median),
        perSecond(sentencesPerCall, median),
        median,
        tokensPerCall,
        sentencesPerCall,
        s.hasHeapBytes() ? s.medianHeapBytesPerOp() : null,
        s.rounds(),
        extra);
  }

  private static double perSecond(double count, double usPerCall) {
    return count / (usPerCall * 1e-6);
  }

  /** Returns a copy with {@code key} set to {@code value} among the extra fields. */
  public NmtResult withExtra(String key, Object value) {
    return new NmtResult(
        op,
        impl,
        beam,
        threads,
        tokensPerS,
        sentencesPerS,
        usPerCall,
        tokensPerCall,
        sentencesPerCall,
        heapBytesPerCall,
        rounds,
        ResultFields.with(extra, key, value));
  }

  /** Whether {@code other} measured the same case (op, beam, threads). */
  public boolean sameCase(NmtResult other) {
    return op.equals(other.op) && Objects.equals(beam, other.beam) && threads == other.threads;
  }

  /**
   * The fields in JSON order: {@code op}, {@code impl}, {@code beam} (translation only), {@code
   * threads}, {@code tokens_per_s}, {@code sentences_per_s}, {@code us_per_call}, {@code
   * tokens_per_call}, {@code sentences_per_call}, {@code heap_bytes_per_call} (only when measured),
   * {@code rounds}, then the extra fields.
   */
  public Map<String, Object> toJsonFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("op", op);
    fields.put("impl", impl);
    if (beam != null) {
      fields.put("beam", beam);
    }
    fields.put("threads", threads);
    fields.put("tokens_per_s", ResultFields.round(tokensPerS, 1));
    fields.put("sentences_per_s", ResultFields.round(sentencesPerS, 3));
    fields.put("us_per_call", ResultFields.round(usPerCall, 1));
    fields.put("tokens_per_call", tokensPerCall);
    fields.put("sentences_per_call", sentencesPerCall);
    if (heapBytesPerCall != null) {
      fields.put("heap_bytes_per_call", Math.round(heapBytesPerCall));
    }
    fields.put("rounds", rounds);
    ResultFields.putRounded(fields, extra, key -> key.contains("ratio") ? 4 : 1);
    return fields;
  }
}
