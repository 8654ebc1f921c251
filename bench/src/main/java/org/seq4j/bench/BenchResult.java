package org.seq4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a benchmark report: the median time per call of one operation, by one implementation,
 * at one intra-op thread count.
 *
 * @param op what was measured, e.g. {@code gemm-1024}
 * @param impl who ran it, e.g. {@code seq4j} or {@code pytorch}
 * @param threads the intra-op thread count
 * @param usPerOp the median over rounds of the microseconds per call
 * @param gflops the throughput at {@code usPerOp}, or {@code null} where it means nothing
 * @param rounds the number of timed rounds the median was taken over
 * @param extra further fields, in order, that the JSON output carries after the fixed ones
 */
public record BenchResult(
    String op,
    String impl,
    int threads,
    double usPerOp,
    Double gflops,
    int rounds,
    Map<String, Object> extra) {

  /** Validates the fields and freezes {@code extra}. */
  public BenchResult {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(impl, "impl");
    extra = ResultFields.frozen(extra);
  }

  /**
   * The results of every contender's rounds of {@code op}: the median time per call, GFLOPS at that
   * time where {@code flopsPerOp > 0}, and the fastest and slowest rounds' times as extra fields.
   *
   * @return one result per series, in the order given
   */
  public static List<BenchResult> fromRounds(
      String op, int threads, double flopsPerOp, List<RoundSeries> series) {
    List<BenchResult> results = new ArrayList<>(series.size());
    for (RoundSeries s : series) {
      double median = s.medianUsPerOp();
      Double gflops = flopsPerOp > 0 ? flopsPerOp / (median * 1e3) : null;
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("min_us_per_op", s.minUsPerOp());
      extra.put("max_us_per_op", s.maxUsPerOp());
      results.add(new BenchResult(op, s.impl(), threads, median, gflops, s.rounds(), extra));
    }
    return results;
  }

  /** Returns a copy with {@code key} set to {@code value} among the extra fields. */
  public BenchResult withExtra(String key, Object value) {
    return new BenchResult(
        op, impl, threads, usPerOp, gflops, rounds, ResultFields.with(extra, key, value));
  }

  /**
   * The fields in JSON order: {@code op}, {@code impl}, {@code threads}, {@code us_per_op}, {@code
   * gflops} (only when known), {@code rounds}, then the extra fields.
   */
  public Map<String, Object> toJsonFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("op", op);
    fields.put("impl", impl);
    fields.put("threads", threads);
    fields.put("us_per_op", ResultFields.round(usPerOp, 3));
    if (gflops != null) {
      fields.put("gflops", ResultFields.round(gflops, 3));
    }
    fields.put("rounds", rounds);
    ResultFields.putRounded(fields, extra, key -> 4);
    return fields;
  }
}
