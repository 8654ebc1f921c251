package org.seq4j.cli.quickstart;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text as character ids, split into training and validation by paragraph: every {@code k}-th
 * paragraph (blank-line separated) is held out, so validation follows the training distribution and
 * the split is deterministic.
 */
public final class CharCorpus {
  private final int[] codePoints;
  private final Map<Integer, Integer> ids;
  private final int[] train;
  private final int[] validation;

  private CharCorpus(String trainText, String validText) {
    this.codePoints = trainText.codePoints().distinct().sorted().toArray();
    this.ids = new HashMap<>();
    for (int i = 0; i < codePoints.length; i++) {
      ids.put(codePoints[i], i);
    }
    this.train = encode(trainText);
    this.validation = encode(validText);
  }

  /** Reads UTF-8 files and holds out every {@code holdOutEvery}-th paragraph. */
  public static CharCorpus read(List<Path> files, int holdOutEvery) throws IOException {
    StringBuilder trainText = new StringBuilder();
    StringBuilder validText = new StringBuilder();
    int paragraph = 0;
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (CharacterCodingException ex) {
        throw new IOException(file + " is not valid UTF-8 text", ex);
      }
      for (String p : text.replace("\r\n", "\n").split("\n\\s*\n")) {
        String para = p.strip();
        if (para.isEmpty()) {
          continue;
        }
        paragraph++;
        (paragraph % holdOutEvery == 0 ? validText : trainText).append(para).append("\n\n");
      }
    }
    if (trainText.length() == 0 || validText.length() == 0) {
      throw new IOException(
          "the corpus "
              + files
              + " is too small: it needs at least "
              + holdOutEvery
              + " non-empty paragraphs");
    }
    return new CharCorpus(trainText.toString(), validText.toString());
  }

  /** Characters never seen in training are dropped. */
  private int[] encode(String text) {
    return text.codePoints().filter(ids::containsKey).map(ids::get).toArray();
  }

  public int vocabularySize() {
    return codePoints.length;
  }

  public int[] train() {
    return train;
  }

  public int[] validation() {
    return validation;
  }

  /** The id of a character, or -1 if training never saw it. */
  public int id(int codePoint) {
    return ids.getOrDefault(codePoint, -1);
  }

  /** The character of an id. */
  public String character(int id) {
    return new String(Character.toChars(codePoints[id]));
  }
}
