package org.seq4j.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.seq4j.io.StrictUtf8;

/**
 * Reads and writes sentence-aligned parallel text: a TSV file ({@code source TAB target}, with an
 * optional third column, the pair's id), or two line-aligned text files (line i of one translates
 * line i of the other). Files must be UTF-8; errors name the file and the line.
 */
public final class ParallelCorpus {
  private ParallelCorpus() {}

  /**
   * The pairs of a TSV file: {@code source TAB target [TAB id]} per line. Without an id column, the
   * id is the line number. Extra columns after the id are ignored.
   *
   * @throws IOException when the file is missing, not UTF-8, empty, or a line has no tab
   */
  public static List<SentencePair> readTsv(Path file) throws IOException {
    return readTsv(file, false);
  }

  /**
   * {@link #readTsv(Path)}, where {@code allowEmpty} says whether a file without pairs is
   * acceptable (a split of a corpus may be empty; a whole corpus may not).
   */
  public static List<SentencePair> readTsv(Path file, boolean allowEmpty) throws IOException {
    List<String> lines = StrictUtf8.readLines(file);
    List<SentencePair> pairs = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String[] f = line.split("\t", -1);
      if (f.length < 2) {
        throw new IOException(
            file + " line " + (i + 1) + ": no tab; expected 'source TAB target [TAB id]'");
      }
      pairs.add(new SentencePair(f[0], f[1], f.length >= 3 ? f[2] : Integer.toString(i + 1)));
    }
    if (pairs.isEmpty() && !allowEmpty) {
      throw new IOException(file + " holds no sentence pairs");
    }
    return pairs;
  }

  /**
   * The pairs of two line-aligned files; the id is the line number.
   *
   * @throws IOException when a file is missing or not UTF-8, the line counts differ, or the files
   *     are empty
   */
  public static List<SentencePair> readAligned(Path sourceFile, Path targetFile)
      throws IOException {
    List<String> src = StrictUtf8.readLines(sourceFile);
    List<String> tgt = StrictUtf8.readLines(targetFile);
    if (src.size() != tgt.size()) {
      throw new IOException(
          "line counts differ: "
              + sourceFile
              + " has "
              + src.size()
              + " lines, "
              + targetFile
              + " has "
              + tgt.size());
    }
    if (src.isEmpty()) {
      throw new IOException(sourceFile + " and " + targetFile + " hold no sentence pairs");
    }
    List<SentencePair> pairs = new ArrayList<>(src.size());
    for (int i = 0; i < src.size(); i++) {
      pairs.add(new SentencePair(src.get(i), tgt.get(i), Integer.toString(i + 1)));
    }
    return pairs;
  }

  /**
   * Writes {@code pairs} as a TSV file ({@code source TAB target TAB id}), atomically.
   *
   * @throws IllegalArgumentException when a field holds a tab or a line break
   */
  public static void writeTsv(Path file, List<SentencePair> pairs) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (SentencePair p : pairs) {
        w.write(field(p.source(), p));
        w.write('\t');
        w.write(field(p.target(), p));
        w.write('\t');
        w.write(field(p.id(), p));
        w.write('\n');
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String field(String s, SentencePair p) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t' || c == '\n' || c == '\r') {
        throw new IllegalArgumentException(
            "pair " + p.id() + " holds a tab or line break, which a TSV line cannot");
      }
    }
    return s;
  }
}
