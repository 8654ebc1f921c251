package org.seq4j.cli.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An experiment's report: Markdown text, tables (also printed to the console) and plots (PNG files
 * beside {@code report.md}).
 */
final class Report {
  private final Path dir;
  private final PrintStream console;
  private final StringBuilder md = new StringBuilder();

  Report(Path dir, PrintStream console, String title) {
    this.dir = dir;
    this.console = console;
    md.append("# ").append(title).append("\n\n");
  }

  Report heading(String text) {
    md.append("## ").append(text).append("\n\n");
    return this;
  }

  Report paragraph(String text) {
    md.append(text).append("\n\n");
    return this;
  }

  /** Adds {@code table} to the report and prints it under {@code caption}. */
  Report table(String caption, Table table) {
    console.println(caption);
    console.print(table.toConsole().indent(2));
    console.println();
    md.append(table.toMarkdown()).append('\n');
    return this;
  }

  /** Writes {@code plot} to {@code fileName} in the report's directory and shows it in the text. */
  Report plot(String fileName, String caption, LinePlot plot) throws IOException {
    plot.write(dir.resolve(fileName));
    md.append("![").append(caption).append("](").append(fileName).append(")\n\n");
    return this;
  }

  /** Writes {@code report.md} and returns its path. */
  Path write() throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("report.md");
    Files.writeString(file, md.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
    return file;
  }
}
