package org.seq4j.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes benchmark results either as an aligned table with one row per (op, threads) and ratio
 * columns against the peers, or as JSON lines with one object per result.
 *
 * <p>The first implementation in the results (normally {@code seq4j}) is the one the ratios are
 * about: {@code seq4j/pytorch} is seq4j's time divided by PyTorch's, or, for operations reported in
 * GFLOPS, seq4j's GFLOPS divided by PyTorch's. So a time ratio below 1 and a GFLOPS ratio above 1
 * both mean seq4j is faster.
 */
public final class ResultPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultPrinter() {}

  /** One result as a single-line JSON object; see {@link BenchResult#toJsonFields()}. */
  public static String jsonLine(BenchResult result) {
    try {
      return JSON.writeValueAsString(result.toJsonFields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write result as JSON: " + result, e);
    }
  }

  /** Prints each result as a JSON line and flushes. */
  public static void printJson(PrintWriter out, List<BenchResult> results) {
    for (BenchResult r : results) {
      out.println(jsonLine(r));
    }
    out.flush();
  }

  /**
   * Returns {@code results} with the primary implementation's rows (those of the first
   * implementation listed) carrying {@code time_ratio_vs_<peer>} and, where both sides report
   * GFLOPS, {@code gflops_ratio_vs_<peer>}.
   */
  public static List<BenchResult> withRatios(List<BenchResult> results) {
    List<String> impls = impls(results);
    if (impls.size() < 2) {
      return results;
    }
    String primary = impls.get(0);
    List<BenchResult> out = new ArrayList<>(results.size());
    for (BenchResult r : results) {
      if (r.impl().equals(primary)) {
        for (String peer : impls.subList(1, impls.size())) {
          BenchResult p = find(results, r.op(), r.threads(), peer);
          if (p != null) {
            r = r.withExtra("time_ratio_vs_" + peer, r.usPerOp() / p.usPerOp());
            if (r.gflops() != null && p.gflops() != null) {
              r = r.withExtra("gflops_ratio_vs_" + peer, r.gflops() / p.gflops());
            }
          }
        }
      }
      out.add(r);
    }
    return out;
  }

  /** Prints {@link #table} and flushes. */
  public static void printTable(PrintWriter out, List<BenchResult> results, List<String> footer) {
    for (String line : table(results, footer)) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Formats the results as an aligned table: op, threads, microseconds per call of every
   * implementation, GFLOPS of every implementation (when any result has them), and one ratio column
   * per peer; then the footer lines.
   */
  public static List<String> table(List<BenchResult> results, List<String> footer) {
    List<String> impls = impls(results);
    boolean anyGflops = results.stream().anyMatch(r -> r.gflops() != null);
    List<String> header = new ArrayList<>(List.of("op", "threads"));
    for (String impl : impls) {
      header.add(impl + " us/op");
    }
    if (anyGflops) {
      for (String impl : impls) {
        header.add(impl + " GFLOPS");
      }
    }
    String primary = impls.isEmpty() ? "" : impls.get(0);
    List<String> peers = impls.isEmpty() ? List.of() : impls.subList(1, impls.size());
    for (String peer : peers) {
      header.add(primary + "/" + peer);
    }

    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (Map.Entry<String, List<BenchResult>> group : groups(results).entrySet()) {
      BenchResult first = group.getValue().get(0);
      List<String> row = new ArrayList<>(List.of(first.op(), Integer.toString(first.threads())));
      for (String impl : impls) {
        BenchResult r = find(group.getValue(), impl);
        row.add(r == null ? "-" : formatMicros(r.usPerOp()));
      }
      if (anyGflops) {
        for (String impl : impls) {
          BenchResult r = find(group.getValue(), impl);
          row.add(r == null || r.gflops() == null ? "-" : format("%.1f", r.gflops()));
        }
      }
      BenchResult base = find(group.getValue(), primary);
      for (String peer : peers) {
        row.add(formatRatio(base, find(group.getValue(), peer)));
      }
      rows.add(row);
    }

    List<String> lines = new ArrayList<>(TextTable.format(rows));
    lines.addAll(footer);
    return lines;
  }

  /** Microseconds with precision that suits their size. */
  static String formatMicros(double us) {
    if (us < 100) {
      return format("%.2f", us);
    }
    return us < 10_000 ? format("%.1f", us) : format("%.0f", us);
  }

  private static String formatRatio(BenchResult base, BenchResult peer) {
    if (base == null || peer == null) {
      return "-";
    }
    if (base.gflops() != null && peer.gflops() != null) {
      return format("%.2f (GFLOPS)", base.gflops() / peer.gflops());
    }
    return format("%.2f (time)", base.usPerOp() / peer.usPerOp());
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }

  private static List<String> impls(List<BenchResult> results) {
    Set<String> impls = new LinkedHashSet<>();
    for (BenchResult r : results) {
      impls.add(r.impl());
    }
    return new ArrayList<>(impls);
  }

  private static Map<String, List<BenchResult>> groups(List<BenchResult> results) {
    Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
    for (BenchResult r : results) {
      groups.computeIfAbsent(r.op() + "\u0000" + r.threads(), k -> new ArrayList<>()).add(r);
    }
    return groups;
  }

  private static BenchResult find(List<BenchResult> results, String impl) {
    for (BenchResult r : results) {
      if (r.impl().equals(impl)) {
        return r;
      }
    }
    return null;
  }

  private static BenchResult find(List<BenchResult> results, String op, int threads, String impl) {
    for (BenchResult r : results) {
      if (r.op().equals(op) && r.threads() == threads && Objects.equals(r.impl(), impl)) {
        return r;
      }
    }
    return null;
  }
}
