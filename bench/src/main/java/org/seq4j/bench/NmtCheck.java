package org.seq4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one cross-check that {@code bench nmt} runs before timing: that the PyTorch peer
 * computes the same loss as seq4j, or the same translations.
 *
 * @param check what was checked, e.g. {@code train-loss} or {@code greedy-float64}
 * @param ok whether it held
 * @param summary one line for the table's footer
 * @param fields the figures behind it, for the JSON line
 */
public record NmtCheck(String check, boolean ok, String summary, Map<String, Object> fields) {
  /** The {@code op} of a check's JSON line. */
  public static final String OP = "nmt-check";

  /** Validates the fields and freezes {@code fields}. */
  public NmtCheck {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(summary, "summary");
    fields = ResultFields.frozen(fields);
  }

  /** {@code op} ({@value #OP}), {@code check}, {@code ok}, then the figures. */
  public Map<String, Object> toJsonFields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", OP);
    out.put("check", check);
    out.put("ok", ok);
    out.putAll(fields);
    return out;
  }

  /** The footer line, e.g. {@code check train-loss: ok (...)}. */
  public String line() {
    return "check " + check + ": " + (ok ? "ok" : "FAILED") + " (" + summary + ")";
  }
}
