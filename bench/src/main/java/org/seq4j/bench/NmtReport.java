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
 * Writes {@code bench nmt}'s results as JSON lines or as a table with one row per (op, beam,
 * threads): each implementation's tokens and sentences per second, seq4j's tokens per second
 * relative to every other implementation (above 1 means seq4j is faster), and the Java heap bytes
 * per call.
 */
public final class NmtReport {
  /** The implementation the ratios are about. */
  public static final String PRIMARY = "seq4j";

  private static final ObjectMapper JSON = new ObjectMapper();

  private NmtReport() {}

  /** The extra field that holds seq4j's tokens per second over {@code peer}'s. */
  public static String ratioField(String peer) {
    return "tokens_per_s_ratio_vs_" + peer;
  }

  /** The extra field that holds seq4j's sentences per second over {@code peer}'s. */
  public static String sentenceRatioField(String peer) {
    return "sentences_per_s_ratio_vs_" + peer;
  }

  /** One JSON line of {@code fields}. */
  static String jsonLine(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write as JSON: " + fields, e);
    }
  }

  /** Prints each result as a JSON line and flushes. */
  public static void printJson(PrintWriter out, List<NmtResult> results) {
    for (NmtResult r : results) {
      out.println(jsonLine(r.toJsonFields()));
    }
    out.flush();
  }

  /** Prints a check as a JSON line and flushes. */
  public static void printJson(PrintWriter out, NmtCheck check) {
    out.println(jsonLine(check.toJsonFields()));
    out.flush();
  }

  /**
   * Returns {@code results} with seq4j's rows carrying {@code tokens_per_s_ratio_vs_<impl>} (and,
   * for translations, {@code sentences_per_s_ratio_vs_<impl>}) for every other implementation that
   * measured the same case.
   */
  public static List<NmtResult> withRatios(List<NmtResult> results) {
    List<NmtResult> out = new ArrayList<>(results.size());
    for (NmtResult r : results) {
      if (r.impl().equals(PRIMARY)) {
        for (NmtResult peer : results) {
          if (!peer.impl().equals(PRIMARY) && peer.sameCase(r)) {
            r = r.withExtra(ratioField(peer.impl()), r.tokensPerS() / peer.tokensPerS());
            if (r.beam() != null) {
              r =
                  r.withExtra(
                      sentenceRatioField(peer.impl()), r.sentencesPerS() / peer.sentencesPerS());
            }
          }
        }
      }
      out.add(r);
    }
    return out;
  }

  /** Prints {@link #table} and flushes. */
  public static void printTable(PrintWriter out, List<NmtResult> results, List<String> footer) {
    for (String line : table(results, footer)) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * Formats the results as an aligned table: op, beam, threads, tokens per second of every
   * implementation, {@code seq4j/<impl>} ratios of tokens per second, sentences per second of every
   * implementation, and the Java heap bytes per call; then the footer lines.
   */
  public static List<String> table(List<NmtResult> results, List<String> footer) {
    List<String> impls = new ArrayList<>();
    Set<String> withHeap = new LinkedHashSet<>();
    for (NmtResult r : results) {
      if (!impls.contains(r.impl())) {
        impls.add(r.impl());
      }
      if (r.heapBytesPerCall() != null) {
        withHeap.add(r.impl());
      }
    }
    List<String> peers = impls.stream().filter(i -> !i.equals(PRIMARY)).toList();
    boolean hasPrimary = impls.contains(PRIMARY);

    List<String> header = new ArrayList<>(List.of("op", "beam", "threads"));
    for (String impl : impls) {
      header.add(impl + " tok/s");
    }
    if (hasPrimary) {
      for (String peer : peers) {
        header.add(PRIMARY + "/" + peer);
      }
    }
    for (String impl : impls) {
      header.add(impl + " sent/s");
    }
    for (String impl : withHeap) {
      header.add(impl + " heap B/call");
    }

    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (List<NmtResult> group : groups(results).values()) {
      NmtResult first = group.get(0);
      List<String> row =
          new ArrayList<>(
              List.of(
                  first.op(),
                  first.beam() == null ? "-" : first.beam().toString(),
                  Integer.toString(first.threads())));
      for (String impl : impls) {
        NmtResult r = find(group, impl);
        row.add(r == null ? "-" : format("%.0f", r.tokensPerS()));
      }
      if (hasPrimary) {
        NmtResult base = find(group, PRIMARY);
        for (String peer : peers) {
          NmtResult p = find(group, peer);
          row.add(
              base == null || p == null ? "-" : format("%.2f", base.tokensPerS() / p.tokensPerS()));
        }
      }
      for (String impl : impls) {
        NmtResult r = find(group, impl);
        row.add(r == null ? "-" : format("%.2f", r.sentencesPerS()));
      }
      for (String impl : withHeap) {
        NmtResult r = find(group, impl);
        row.add(
            r == null || r.heapBytesPerCall() == null ? "-" : format("%.0f", r.heapBytesPerCall()));
      }
      rows.add(row);
    }
    List<String> lines = new ArrayList<>(TextTable.format(rows));
    lines.addAll(footer);
    return lines;
  }

  private static Map<String, List<NmtResult>> groups(List<NmtResult> results) {
    Map<String, List<NmtResult>> groups = new LinkedHashMap<>();
    for (NmtResult r : results) {
      String key = String.join("\u0000", r.op(), String.valueOf(r.beam()), "" + r.threads());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    return groups;
  }

  private static NmtResult find(List<NmtResult> group, String impl) {
    for (NmtResult r : group) {
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
