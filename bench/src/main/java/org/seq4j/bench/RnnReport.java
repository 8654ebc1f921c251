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
import java.util.Set;

/**
 * Writes the recurrent benchmark's results as JSON lines or as a table with one row per (op, cell,
 * layout, threads), each implementation's tokens per second, and seq4j's throughput relative to
 * every other implementation (above 1 means seq4j is faster).
 */
public final class RnnReport {
  /** The implementation the ratios are about. */
  public static final String PRIMARY = Seq4jRnnStep.IMPL;

  private static final ObjectMapper JSON = new ObjectMapper();

  private RnnReport() {}

  /** The name of the extra field that holds seq4j's throughput over {@code peer}'s. */
  public static String ratioField(String peer) {
    return "tokens_per_s_ratio_vs_" + peer;
  }

  /** One result as a single-line JSON object; see {@link RnnResult#toJsonFields()}. */
  public static String jsonLine(RnnResult result) {
    try {
      return JSON.writeValueAsString(result.toJsonFields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write result as JSON: " + result, e);
    }
  }

  /** Prints each result as a JSON line and flushes. */
  public static void printJson(PrintWriter out, List<RnnResult> results) {
    for (RnnResult r : results) {
      out.println(jsonLine(r));
    }
    out.flush();
  }

  /**
   * Returns {@code results} with seq4j's rows carrying {@code tokens_per_s_ratio_vs_<impl>} for
   * every other implementation that measured the same case.
   */
  public static List<RnnResult> withRatios(List<RnnResult> results) {
    List<RnnResult> out = new ArrayList<>(results.size());
    for (RnnResult r : results) {
      if (r.impl().equals(PRIMARY)) {
        for (RnnResult peer : results) {
          if (!peer.impl().equals(PRIMARY) && peer.sameCase(r)) {
            r = r.withExtra(ratioField(peer.impl()), r.tokensPerS() / peer.tokensPerS());
          }
        }
      }
      out.add(r);
    }
    return out;
  }

  /** Prints {@link #table} and flushes. */
  public static void printTable(PrintWriter out, List<RnnResult> results, List<String> footer) {
    for (String line : table(results, footer)) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Formats the results as an aligned table: op, cell, layout, threads, tokens per second of every
   * implementation, {@code seq4j/<impl>} throughput ratios, and the Java heap bytes per step of the
   * implementations that report them; then the footer lines.
   */
  public static List<String> table(List<RnnResult> results, List<String> footer) {
    List<String> impls = new ArrayList<>();
    Set<String> withHeap = new LinkedHashSet<>();
    for (RnnResult r : results) {
      if (!impls.contains(r.impl())) {
        impls.add(r.impl());
      }
      if (r.heapBytesPerStep() != null) {
        withHeap.add(r.impl());
      }
    }
    List<String> peers = impls.stream().filter(i -> !i.equals(PRIMARY)).toList();
    boolean hasPrimary = impls.contains(PRIMARY);

    List<String> header = new ArrayList<>(List.of("op", "cell", "layout", "threads"));
    for (String impl : impls) {
      header.add(impl + " tok/s");
    }
    if (hasPrimary) {
      for (String peer : peers) {
        header.add(PRIMARY + "/" + peer);
      }
    }
    for (String impl : withHeap) {
      header.add(impl + " heap B/step");
    }

    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (List<RnnResult> group : groups(results).values()) {
      RnnResult first = group.get(0);
      List<String> row =
          new ArrayList<>(
              List.of(first.op(), first.cell(), first.layout(), Integer.toString(first.threads())));
      for (String impl : impls) {
        RnnResult r = find(group, impl);
        row.add(r == null ? "-" : format("%.0f", r.tokensPerS()));
      }
      if (hasPrimary) {
        RnnResult base = find(group, PRIMARY);
        for (String peer : peers) {
          RnnResult p = find(group, peer);
          row.add(
              base == null || p == null ? "-" : format("%.2f", base.tokensPerS() / p.tokensPerS()));
        }
      }
      for (String impl : withHeap) {
        RnnResult r = find(group, impl);
        row.add(
            r == null || r.heapBytesPerStep() == null ? "-" : format("%.0f", r.heapBytesPerStep()));
      }
      rows.add(row);
    }
    List<String> lines = new ArrayList<>(TextTable.format(rows));
    lines.addAll(footer);
    return lines;
  }

  private static Map<String, List<RnnResult>> groups(List<RnnResult> results) {
    Map<String, List<RnnResult>> groups = new LinkedHashMap<>();
    for (RnnResult r : results) {
      String key = String.join("\u0000", r.op(), r.cell(), r.layout(), "" + r.threads());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    return groups;
  }

  private static RnnResult find(List<RnnResult> group, String impl) {
    for (RnnResult r : group) {
      if (r.impl().equals(impl)) {
        return r;
      }
    }
    return null;
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
