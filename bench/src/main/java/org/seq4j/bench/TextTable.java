package org.seq4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out rows of cells as aligned text: the first column left-aligned, the others right-aligned,
 * columns separated by two spaces, trailing blanks removed.
 */
public final class TextTable {
  private TextTable() {}

  /** The rows as lines; the first row is normally the header. */
  public static List<String> format(List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    List<String> lines = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        if (c == 0) {
          line.append(cell).append(" ".repeat(widths[c] - cell.length()));
        } else {
          line.append("  ").append(" ".repeat(widths[c] - cell.length())).append(cell);
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }
}
