package org.seq4j.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
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
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
  }

  /** Returns a copy with {@code key} set to {@code value} among the extra fields. */
  public BenchResult withExtra(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extra);
    more.put(key, value);
    return new BenchResult(op, impl, threads, usPerOp, gflops, rounds, more);
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
    fields.put("us_per_op", round(usPerOp, 3));
    if (gflops != null) {
      fields.put("gflops", round(gflops, 3));
    }
    fields.put("rounds", rounds);
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      Object v = e.getValue();
      fields.put(e.getKey(), v instanceof Double d ? round(d, 4) : v);
    }
    return fields;
  }

  private static double round(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return value;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
