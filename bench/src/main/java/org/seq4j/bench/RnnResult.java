package org.seq4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the recurrent benchmark's report: the throughput of one implementation on one case
 * (mode, cell, layout) at one intra-op thread count.
 *
 * @param op {@code rnn-train} or {@code rnn-infer}
 * @param cell {@code lstm} or {@code gru}
 * @param layout {@code fixed}, {@code varlen} or {@code bidir}
 * @param impl {@code seq4j}, {@code djl-raw} or {@code pytorch}
 * @param threads the intra-op thread count
 * @param tokensPerS tokens per second at the median time per call
 * @param usPerStep the median over rounds of the microseconds per call
 * @param tokensPerStep the tokens one call processes, the same for every implementation of a case
 * @param heapBytesPerStep the median Java heap bytes allocated per call, or null where not measured
 * @param rounds the number of timed rounds
 * @param extra further fields, in order, that the JSON output carries after the fixed ones
 */
public record RnnResult(
    String op,
    String cell,
    String layout,
    String impl,
    int threads,
    double tokensPerS,
    double usPerStep,
    long tokensPerStep,
    Double heapBytesPerStep,
    int rounds,
    Map<String, Object> extra) {

  /** Validates the fields and freezes {@code extra}. */
  public RnnResult {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(cell, "cell");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(impl, "impl");
    extra = ResultFields.frozen(extra);
  }

  /**
   * The result of one contender's rounds on {@code workload} in {@code mode}: throughput from the
   * median time, the fastest and slowest rounds' throughput as extra fields.
   */
  public static RnnResult of(
      RnnBenchMode mode, RnnWorkload workload, int threads, RoundSeries series) {
    long tokens = workload.tokensPerStep();
    double median = series.medianUsPerOp();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("min_tokens_per_s", tokensPerS(tokens, series.maxUsPerOp()));
    extra.put("max_tokens_per_s", tokensPerS(tokens, series.minUsPerOp()));
    return new RnnResult(
        mode.op(),
        workload.cell(),
        workload.layout().cliName(),
        series.impl(),
        threads,
        tokensPerS(tokens, median),
        median,
        tokens,
        series.hasHeapBytes() ? series.medianHeapBytesPerOp() : null,
        series.rounds(),
        extra);
  }

  private static double tokensPerS(long tokens, double usPerStep) {
    return tokens / (usPerStep * 1e-6);
  }

  /** Returns a copy with {@code key} set to {@code value} among the extra fields. */
  public RnnResult withExtra(String key, Object value) {
    return new RnnResult(
        op,
        cell,
        layout,
        impl,
        threads,
        tokensPerS,
        usPerStep,
        tokensPerStep,
        heapBytesPerStep,
        rounds,
        ResultFields.with(extra, key, value));
  }

  /** Whether {@code other} measured the same case (op, cell, layout, threads). */
  public boolean sameCase(RnnResult other) {
    return op.equals(other.op)
        && cell.equals(other.cell)
        && layout.equals(other.layout)
        && threads == other.threads;
  }

  /**
   * The fields in JSON order: {@code op}, {@code cell}, {@code layout}, {@code impl}, {@code
   * threads}, {@code tokens_per_s}, {@code us_per_step}, {@code tokens_per_step}, {@code
   * heap_bytes_per_step} (only when measured), {@code rounds}, then the extra fields.
   */
  public Map<String, Object> toJsonFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("op", op);
    fields.put("cell", cell);
    fields.put("layout", layout);
    fields.put("impl", impl);
    fields.put("threads", threads);
    fields.put("tokens_per_s", ResultFields.round(tokensPerS, 1));
    fields.put("us_per_step", ResultFields.round(usPerStep, 1));
    fields.put("tokens_per_step", tokensPerStep);
    if (heapBytesPerStep != null) {
      fields.put("heap_bytes_per_step", Math.round(heapBytesPerStep));
    }
    fields.put("rounds", rounds);
    ResultFields.putRounded(fields, extra, key -> key.contains("ratio") ? 4 : 1);
    return fields;
  }
}
