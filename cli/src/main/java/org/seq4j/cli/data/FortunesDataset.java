package org.seq4j.cli.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quotes of Debian's {@code fortunes} package (about 14,000 quotes, 2.5 MB of English text) as
 * one UTF-8 file in the fortune format.
 *
 * <p>The package keeps its quote files in {@code usr/share/games/fortunes/}: one file per topic
 * with no extension, next to a {@code .dat} index per file (binary, skipped) and a {@code .u8}
 * symbolic link per file that points back to it (a duplicate, skipped). The quote files are read in
 * the order of their names, so the output is the same on every machine.
 */
public final class FortunesDataset {
  /** The Debian package. */
  public static final String PACKAGE = "fortunes";

  /** Where the package keeps its quote files, relative to the unpacked root. */
  public static final Path QUOTE_DIR = Path.of("usr", "share", "games", "fortunes");

  /** The text file written. */
  public static final String TEXT_FILE = "fortunes.txt";

  /** The list of source files written next to it. */
  public static final String SOURCES_FILE = "sources.txt";

  private FortunesDataset() {}

  /**
   * One quote file that went into the text.
   *
   * @param name the file name
   * @param quotes the number of quotes taken from it
   * @param bytes its size
   */
  public record Source(String name, int quotes, long bytes) {}

  /**
   * What {@link #assemble} wrote.
   *
   * @param text the text file
   * @param sourcesFile the list of source files
   * @param sources the source files in the order they were read
   * @param quotes the number of quotes in the text
   * @param bytes the size of the text file
   */
  public record Result(Path text, Path sourcesFile, List<Source> sources, int quotes, long bytes) {}

  /**
   * The quote files of {@code quoteDir} in name order: regular files without an extension that
   * marks an index ({@code .dat}) or a duplicate ({@code .u8}); symbolic links are skipped.
   */
  public static List<Path> quoteFiles(Path quoteDir) throws IOException {
    if (!Files.isDirectory(quoteDir)) {
      throw new IOException("no quote directory " + quoteDir + " in the unpacked package");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(quoteDir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (Files.isSymbolicLink(p)
            || !Files.isRegularFile(p)
            || name.endsWith(".dat")
            || name.endsWith(".u8")
            || name.startsWith(".")) {
          continue;
        }
        files.add(p);
      }
    }
    files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    if (files.isEmpty()) {
      throw new IOException("no quote files in " + quoteDir);
    }
    return files;
  }

  /**
   * Reads the quote files of {@code quoteDir} and writes {@code outDir/fortunes.txt} (every quote
   * followed by a {@code %} line) and {@code outDir/sources.txt} (one line per source file).
   *
   * @param origin a line naming where the files came from, written at the top of the sources list
   */
  public static Result assemble(Path quoteDir, Path outDir, String origin) throws IOException {
    List<Source> sources = new ArrayList<>();
    List<String> quotes = new ArrayList<>();
    for (Path file : quoteFiles(quoteDir)) {
      List<String> fileQuotes = Documents.quotes(Utf8Files.read(file));
      quotes.addAll(fileQuotes);
      sources.add(new Source(file.getFileName().toString(), fileQuotes.size(), Files.size(file)));
    }
    Files.createDirectories(outDir);
    Path text = outDir.resolve(TEXT_FILE);
    writeAtomically(text, Documents.join(quotes, Documents.Kind.QUOTES));
    StringBuilder list = new StringBuilder();
    list.append("# ").append(origin).append('\n');
    list.append("# file\tquotes\tbytes\n");
    for (Source s : sources) {
      list.append(String.format(Locale.ROOT, "%s\t%d\t%d%n", s.name(), s.quotes(), s.bytes()));
    }
    Path sourcesFile = outDir.resolve(SOURCES_FILE);
    writeAtomically(sourcesFile, list.toString());
    return new Result(text, sourcesFile, sources, quotes.size(), Files.size(text));
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
