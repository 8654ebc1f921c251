package org.seq4j.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Helpers for the result records ({@link BenchResult}, {@link RnnResult}): their free-form extra
 * fields, and the rounding of the numbers they write as JSON.
 */
final class ResultFields {
  private ResultFields() {}

  /** An unmodifiable copy of {@code extra} in its order; empty for {@code null}. */
  static Map<String, Object> frozen(Map<String, Object> extra) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
  }

  /** A copy of {@code extra} with {@code key} set to {@code value}. */
  static Map<String, Object> with(Map<String, Object> extra, String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extra);
    more.put(key, value);
    return more;
  }

  /**
   * Puts every entry of {@code extra} into {@code fields}, in order, with each {@code Double}
   * rounded to {@code decimals.applyAsInt(key)} decimals.
   */
  static void putRounded(
      Map<String, Object> fields, Map<String, Object> extra, ToIntFunction<String> decimals) {
    for (Map.Entry<String, Object> e : extra.entrySet()) {
      Object v = e.getValue();
      fields.put(e.getKey(), v instanceof Double d ? round(d, decimals.applyAsInt(e.getKey())) : v);
    }
  }

  /**
   * {@code value} rounded to {@code decimals} decimals; NaN and infinities are kept as they are.
   */
  static double round(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return value;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
