package org.seq4j.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses the text file {@link SubwordTokenizer#save} writes, with errors naming file and line. */
final class SubwordModelFile {
  private SubwordModelFile() {}

  static SubwordTokenizer parse(List<String> lines, String file) throws IOException {
    int i = 0;
    while (i < lines.size() && lines.get(i).startsWith("#")) {
      i++;
    }
    if (i >= lines.size() || !lines.get(i).equals(SubwordTokenizer.formatHeader())) {
      throw new IOException(
          file
              + " is not a seq4j tokenizer model (expected '"
              + SubwordTokenizer.formatHeader()
              + "' at line "
              + (i + 1)
              + ")");
    }
    i++;
    int size = (int) number(header(lines, i++, "size", file), file, i);
    boolean byteFallback = Boolean.parseBoolean(header(lines, i++, "byte_fallback", file));
    double coverage = number(header(lines, i++, "character_coverage", file), file, i);
    List<Integer> chars = new ArrayList<>();
    List<int[]> merges = new ArrayList<>();
    int expectedId = 0;
    List<String> texts = new ArrayList<>();
    for (; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String where = file + " line " + (i + 1);
      if (f.length < 3) {
        throw new IOException(where + ": expected 'id TAB kind TAB piece', got '" + line + "'");
      }
      if (!f[0].equals(Integer.toString(expectedId))) {
        throw new IOException(where + ": expected piece id " + expectedId + ", got " + f[0]);
      }
      String text;
      try {
        text = PieceEscapes.unescape(f[2]);
      } catch (IllegalArgumentException ex) {
        throw new IOException(where + ": " + ex.getMessage(), ex);
      }
      texts.add(text);
      switch (f[1]) {
        case "special", "byte" -> {}
        case "char" -> {
          if (text.codePointCount(0, text.length()) != 1) {
            throw new IOException(
                where + ": a char piece must be one character, got '" + f[2] + "'");
          }
          chars.add(text.codePointAt(0));
        }
        case "merge" -> {
          if (f.length != 5) {
            throw new IOException(where + ": a merge needs the two ids it merges");
          }
          int left = (int) number(f[3], file, i + 1);
          int right = (int) number(f[4], file, i + 1);
          if (left >= expectedId || right >= expectedId || left < 0 || right < 0) {
            throw new IOException(where + ": merge of ids not defined before it");
          }
          if (!text.equals(texts.get(left) + texts.get(right))) {
            throw new IOException(
                where + ": merged piece '" + f[2] + "' is not its two parts joined");
          }
          merges.add(new int[] {left, right});
        }
        default -> throw new IOException(where + ": unknown piece kind '" + f[1] + "'");
      }
      expectedId++;
    }
    SubwordTokenizer model;
    try {
      model = new SubwordTokenizer(byteFallback, coverage, chars, merges);
    } catch (IllegalArgumentException ex) {
      throw new IOException(file + ": " + ex.getMessage(), ex);
    }
    if (model.size() != size || expectedId != size) {
      throw new IOException(
          file + ": the header says " + size + " pieces, the file has " + expectedId);
    }
    for (int id = 0; id < size; id++) {
      if (!model.piece(id).equals(texts.get(id))) {
        throw new IOException(
            file + ": piece " + id + " should be '" + PieceEscapes.escape(model.piece(id)) + "'");
      }
    }
    return model;
  }

  private static String header(List<String> lines, int i, String key, String file)
      throws IOException {
    if (i >= lines.size() || !lines.get(i).startsWith(key + " ")) {
      throw new IOException(file + " line " + (i + 1) + ": expected '" + key + " VALUE'");
    }
    return lines.get(i).substring(key.length() + 1);
  }

  private static double number(String s, String file, int line) throws IOException {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException ex) {
      throw new IOException(file + " line " + line + ": not a number: '" + s + "'", ex);
    }
  }
}
