package org.seq4j.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Writes the WaveNet benchmark's results as JSON lines, or as a table with one row per result (its
 * samples per second, real-time factors at 8 and 16 kHz, and seq4j's throughput over it) followed
 * by the project's targets and whether this run meets them.
 */
public final class WaveNetReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WaveNetReport() {}

  /** The implementation the ratios of {@code op}'s rows are about. */
  public static String primary(String op) {
    return op.equals(WaveNetBench.TRAIN_OP) ? WaveNetBench.SEQ4J : WaveNetBench.SEQ4J_FAST;
  }

  /** The name of the extra field that holds the primary's throughput over {@code peer}'s. */
  public static String ratioField(String peer) {
    return "samples_per_s_ratio_vs_" + peer;
  }

  /** One result as a single-line JSON object; see {@link WaveNetResult#toJsonFields()}. */
  public static String jsonLine(WaveNetResult result) {
    try {
      return JSON.writeValueAsString(result.toJsonFields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write result as JSON: " + result, e);
    }
  }

  /** Prints each result as a JSON line and flushes. */
  public static void printJson(PrintWriter out, List<WaveNetResult> results) {
    for (WaveNetResult r : results) {
      out.println(jsonLine(r));
    }
    out.flush();
  }

  /**
   * Returns {@code results} with each primary row carrying {@code samples_per_s_ratio_vs_<impl>}
   * for every other implementation that measured the same case.
   */
  public static List<WaveNetResult> withRatios(List<WaveNetResult> results) {
    List<WaveNetResult> out = new ArrayList<>(results.size());
    for (WaveNetResult r : results) {
      if (r.impl().equals(primary(r.op()))) {
        for (WaveNetResult peer : results) {
          if (!peer.impl().equals(r.impl()) && peer.sameCase(r)) {
            r = r.withExtra(ratioField(peer.impl()), r.samplesPerS() / peer.samplesPerS());
          }
        }
      }
      out.add(r);
    }
    return out;
  }

  /** Prints {@link #table} and flushes. */
  public static void printTable(PrintWriter out, List<WaveNetResult> results, List<String> footer) {
    for (String line : table(results, footer)) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * The results as an aligned table, one row per result: op, model, batch, threads, impl, samples
   * per second, the real-time factors at 8 and 16 kHz, and the primary implementation's throughput
   * over this row's; then the footer lines and the {@link #targets}.
   */
  public static List<String> table(List<WaveNetResult> results, List<String> footer) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "op",
            "model",
            "batch",
            "threads",
            "impl",
            "samples/s",
            "x real time 8 kHz",
            "16 kHz",
            "seq4j/impl"));
    for (WaveNetResult r : results) {
      WaveNetResult base = find(results, r, primary(r.op()));
      rows.add(
          List.of(
              r.op(),
              r.model(),
              Integer.toString(r.batch()),
              Integer.toString(r.threads()),
              r.impl(),
              format("%.0f", r.samplesPerS()),
              format("%.3f", r.realTimeFactor(8000)),
              format("%.3f", r.realTimeFactor(16000)),
              base == null || base == r ? "-" : formatRatio(base.samplesPerS() / r.samplesPerS())));
    }
    List<String> lines = new ArrayList<>(TextTable.format(rows));
    lines.addAll(footer);
    lines.add("");
    lines.addAll(targets(results));
    return lines;
  }

  /**
   * The project's targets, each with the values this run measured and whether all of them meet it
   * ({@code not measured} where the run did not cover the case).
   */
  public static List<String> targets(List<WaveNetResult> results) {
    String fast = WaveNetBench.SEQ4J_FAST;
    String gen = WaveNetBench.GENERATE_OP;
    List<Target> targets = new ArrayList<>();

    Target speed = new Target("seq4j-fast, model b, batch 1, 1 thread >= 24000 samples/s", 24000);
    WaveNetResult b1 = find(results, r -> is(r, gen, fast, "b", 1, 1));
    if (b1 != null) {
      speed.add("", b1.samplesPerS(), "%.0f");
    }
    targets.add(speed);

    Target batched = new Target("seq4j-fast, batch 8 on 2 threads / batch 1 on 1 thread >= 4x", 4);
    for (WaveNetResult r8 : select(results, r -> is(r, gen, fast, null, 8, 2))) {
      WaveNetResult r1 = find(results, r -> is(r, gen, fast, r8.model(), 1, 1));
      if (r1 != null) {
        batched.add(r8.model(), r8.samplesPerS() / r1.samplesPerS(), "%.2fx");
      }
    }
    targets.add(batched);

    targets.add(
        ratioTarget(
            results,
            "seq4j-fast / seq4j-naive, model a >= 1000x",
            gen,
            WaveNetBench.SEQ4J_NAIVE,
            r -> r.model().equals("a"),
            1000));
    targets.add(
        ratioTarget(
            results,
            "seq4j-fast / djl-fast, batch 1 >= 10x",
            gen,
            WaveNetBench.DJL_FAST,
            r -> r.batch() == 1,
            10));
    targets.add(
        ratioTarget(
            results,
            "seq4j-fast / pytorch-fast, batch 1 >= 10x",
            gen,
            WaveNetBench.PYTORCH_FAST,
            r -> r.batch() == 1,
            10));
    targets.add(
        ratioTarget(
            results,
            "seq4j / pytorch, training >= 0.7x",
            WaveNetBench.TRAIN_OP,
            WaveNetBench.PYTORCH,
            r -> true,
            0.7));

    List<String> lines = new ArrayList<>();
    lines.add("targets:");
    for (Target t : targets) {
      lines.add("  " + t.line());
    }
    return lines;
  }

  /** The primary's throughput over {@code peer}'s, for every measured case that {@code where}. */
  private static Target ratioTarget(
      List<WaveNetResult> results,
      String description,
      String op,
      String peer,
      Predicate<WaveNetResult> where,
      double threshold) {
    Target target = new Target(description, threshold);
    for (WaveNetResult p : select(results, r -> r.op().equals(op) && r.impl().equals(peer))) {
      WaveNetResult base = find(results, p, primary(op));
      if (base != null && where.test(p)) {
        String label = p.model() + " b" + p.batch() + " t" + p.threads();
        target.add(label, base.samplesPerS() / p.samplesPerS(), "%.2fx");
      }
    }
    return target;
  }

  /** A target: a threshold that every measured value must reach. */
  private static final class Target {
    private final String description;
    private final double threshold;
    private final List<String> values = new ArrayList<>();
    private boolean met = true;

    Target(String description, double threshold) {
      this.description = description;
      this.threshold = threshold;
    }

    void add(String label, double value, String pattern) {
      values.add((label.isEmpty() ? "" : label + " ") + format(pattern, value));
      met &= value >= threshold;
    }

    String line() {
      String verdict = values.isEmpty() ? "not measured" : met ? "met" : "NOT met";
      return String.format(
          Locale.ROOT,
          "%-13s %s%s",
          "[" + verdict + "]",
          description,
          values.isEmpty() ? "" : ": " + String.join(", ", values));
    }
  }

  private static boolean is(
      WaveNetResult r, String op, String impl, String model, int batch, int threads) {
    return r.op().equals(op)
        && r.impl().equals(impl)
        && (model == null || r.model().equals(model))
        && r.batch() == batch
        && r.threads() == threads;
  }

  private static List<WaveNetResult> select(
      List<WaveNetResult> results, Predicate<WaveNetResult> where) {
    return results.stream().filter(where).toList();
  }

  private static WaveNetResult find(List<WaveNetResult> results, Predicate<WaveNetResult> where) {
    return results.stream().filter(where).findFirst().orElse(null);
  }

  /** The result of {@code impl} for the case of {@code like}, or null. */
  private static WaveNetResult find(List<WaveNetResult> results, WaveNetResult like, String impl) {
    return find(results, r -> r.impl().equals(impl) && r.sameCase(like));
  }

  private static String formatRatio(double ratio) {
    return ratio >= 100 ? format("%.0f", ratio) : format("%.2f", ratio);
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
