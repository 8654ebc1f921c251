package org.seq4j.cli.lm;

import java.util.HashMap;
import java.util.Map;

/**
 * The characters (Unicode code points) a character model knows, with a reserved id for the unknown:
 * id {@value #UNK} is UNK, ids {@code 1..n} are the training text's distinct characters in
 * code-point order. A character the training text never held (in validation text, in a prime) maps
 * to UNK instead of being dropped, so every character is scored.
 */
public final class Vocabulary {
  /** The id of every character not in the vocabulary. */
  public static final int UNK = 0;

  /** What {@link #character(int)} returns for UNK. */
  public static final String UNK_TEXT = "\uFFFD";

  private final int[] codePoints;
  private final Map<Integer, Integer> ids;

  private Vocabulary(int[] codePoints) {
    this.codePoints = codePoints;
    this.ids = new HashMap<>(codePoints.length * 2);
    for (int i = 0; i < codePoints.length; i++) {
      if (ids.put(codePoints[i], i + 1) != null) {
        throw new IllegalArgumentException(
            "the vocabulary lists character U+"
                + Integer.toHexString(codePoints[i]).toUpperCase(java.util.Locale.ROOT)
                + " twice");
      }
    }
  }

  /** The distinct characters of {@code text}, in code-point order. */
  public static Vocabulary of(String text) {
    return new Vocabulary(text.codePoints().distinct().sorted().toArray());
  }

  /** The inverse of {@link #characters()}: the characters of ids 1, 2, ... in order. */
  public static Vocabulary fromCharacters(String characters) {
    return new Vocabulary(characters.codePoints().toArray());
  }

  /** The characters of ids 1, 2, ... as one string (how a checkpoint stores the vocabulary). */
  public String characters() {
    return new String(codePoints, 0, codePoints.length);
  }

  /** The number of ids, UNK included. */
  public int size() {
    return codePoints.length + 1;
  }

  /** The id of a character; {@link #UNK} if the vocabulary lacks it. */
  public int id(int codePoint) {
    return ids.getOrDefault(codePoint, UNK);
  }

  /** Whether the vocabulary has the character. */
  public boolean contains(int codePoint) {
    return ids.containsKey(codePoint);
  }

  /** The ids of every character of {@code text}; unknown ones are {@link #UNK}. */
  public int[] encode(String text) {
    return text.codePoints().map(this::id).toArray();
  }

  /** The number of characters of {@code text} the vocabulary lacks. */
  public long countUnknown(String text) {
    return text.codePoints().filter(cp -> !ids.containsKey(cp)).count();
  }

  /** The character of an id; {@link #UNK_TEXT} for UNK. */
  public String character(int id) {
    if (id < 0 || id >= size()) {
      throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + size());
    }
    return id == UNK ? UNK_TEXT : new String(Character.toChars(codePoints[id - 1]));
  }
}
