package org.seq4j.cli.experiment;

import java.util.ArrayList;
import java.util.List;

/** A table of text cells, rendered for the console (aligned columns) and for Markdown. */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row with one cell per column. */
  Table row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + header.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  /** Columns padded to their widest cell, numbers (and everything else) right-aligned. */
  String toConsole() {
    int[] width = new int[header.size()];
    for (List<String> r : allRows()) {
      for (int c = 0; c < r.size(); c++) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder s = new StringBuilder();
    for (List<String> r : allRows()) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.size(); c++) {
        String cell = r.get(c);
        String pad = " ".repeat(width[c] - cell.length());
        line.append(c == 0 ? cell + pad : "  " + pad + cell);
      }
      s.append(line.toString().stripTrailing()).append('\n');
    }
    return s.toString();
  }

  /** A GitHub-flavoured Markdown table; numeric columns are right-aligned. */
  String toMarkdown() {
    StringBuilder s = new StringBuilder();
    s.append("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int c = 0; c < header.size(); c++) {
      s.append(c == 0 ? "---|" : "---:|");
    }
    s.append('\n');
    for (List<String> r : rows) {
      s.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return s.toString();
  }

  private List<List<String>> allRows() {
    List<List<String>> all = new ArrayList<>(rows.size() + 1);
    all.add(header);
    all.addAll(rows);
    return all;
  }
}
