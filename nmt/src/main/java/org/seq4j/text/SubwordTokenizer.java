package org.seq4j.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-pair-encoding subword model with a word-start marker, shared by the source and the target
 * language as in GNMT (Wu et al., 2016, section 4), in the style of SentencePiece (Kudo and
 * Richardson, 2018): spaces are part of the pieces, so decoding is exact.
 *
 * <p><b>Segmentation.</b> A text is cut at every space (U+0020) into words, and each word gets the
 * marker {@code ▁} (U+2581) in front: {@code "Hello world"} becomes the words {@code ▁Hello},
 * {@code ▁} and {@code ▁world}. A word is spelled in the model's characters, and the learned merges
 * are applied in the order they were learned (Sennrich et al., 2016). Merges never cross words.
 * Decoding joins the pieces, turns each marker into a space and drops the one space in front of the
 * first word. Any other character — tabs, newlines, the marker character itself when it occurs in
 * the text — is an ordinary character.
 *
 * <p><b>Unknown characters.</b> Characters outside the model's character set (the rare ones left
 * out by the character coverage, and those never seen in training) are spelled as their UTF-8 bytes
 * with the 256 byte pieces {@code <0x00>}…{@code <0xFF>} (byte fallback, as SentencePiece's {@code
 * byte_fallback}); unpaired surrogates are spelled in the generalized UTF-8 of WTF-8. So {@code
 * decode(encode(s)).equals(s)} for every Java string {@code s}. A model trained without byte
 * fallback maps each unknown character to {@link #UNK} instead, which decodes to {@code ⁇}
 * (U+2047); then only texts made of known characters round-trip.
 *
 * <p><b>Ids.</b> {@link #PAD} = 0, {@link #UNK} = 1, {@link #BOS} = 2, {@link #EOS} = 3, then the
 * byte pieces (when byte fallback is on), the characters (the marker first, then by falling
 * frequency), then the merged pieces in the order they were learned. {@link #encode} never emits
 * PAD, BOS or EOS; {@link #decode} skips them.
 *
 * <p>The model is saved as a UTF-8 text file, one piece per line ({@link #save}, {@link #load}).
 * Train one with {@link BpeTrainer}. Instances are immutable and safe to share between threads.
 */
public final class SubwordTokenizer {
  /** Padding. */
  public static final int PAD = 0;

  /** An unknown character (without byte fallback). */
  public static final int UNK = 1;

  /** Beginning of a sentence. */
  public static final int BOS = 2;

  /** End of a sentence. */
  public static final int EOS = 3;

  /** The word-start marker, U+2581 LOWER ONE EIGHTH BLOCK. */
  public static final int MARKER = 0x2581;

  /** What {@link #UNK} decodes to: U+2047 DOUBLE QUESTION MARK, as SentencePiece. */
  public static final String UNK_SURFACE = "\u2047";

  static final String[] SPECIALS = {"<pad>", "<unk>", "<s>", "</s>"};
  static final int BYTE_BASE = SPECIALS.length;
  private static final String FORMAT = "seq4j-subword";
  private static final int FORMAT_VERSION = 1;
  private static final int CACHE_LIMIT = 1 << 18;

  /** What a piece is. */
  public enum Kind {
    /** PAD, UNK, BOS or EOS. */
    SPECIAL,
    /** One byte of a character outside the vocabulary. */
    BYTE,
    /** One character (the marker included). */
    CHAR,
    /** Two pieces merged. */
    MERGE
  }

  private final boolean byteFallback;
  private final double characterCoverage;
  private final Kind[] kinds;
  private final String[] surfaces;
  private final int[] lefts;
  private final int[] rights;
  private final Map<Integer, Integer> charIds;
  private final Map<Long, Integer> mergeIds;
  private final Map<String, Integer> pieceIds;
  private final int markerId;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /**
   * A model from its characters and merges.
   *
   * @param byteFallback whether unknown characters are spelled as bytes (else UNK)
   * @param characterCoverage the coverage the characters were chosen with (recorded, not used)
   * @param chars the characters, the marker first; their ids follow the specials and bytes
   * @param merges the merges in learned order, as pairs of piece ids; each gets the next id
   */
  SubwordTokenizer(
      boolean byteFallback, double characterCoverage, List<Integer> chars, List<int[]> merges) {
    if (chars.isEmpty() || chars.get(0) != MARKER) {
      throw new IllegalArgumentException("the first character must be the word-start marker");
    }
    this.byteFallback = byteFallback;
    this.characterCoverage = characterCoverage;
    int size = SPECIALS.length + (byteFallback ? 256 : 0) + chars.size() + merges.size();
    kinds = new Kind[size];
    surfaces = new String[size];
    lefts = new int[size];
    rights = new int[size];
    charIds = new HashMap<>();
    mergeIds = new HashMap<>();
    pieceIds = new HashMap<>();
    int id = 0;
    for (String s : SPECIALS) {
      define(id++, Kind.SPECIAL, s, -1, -1);
    }
    if (byteFallback) {
      for (int b = 0; b < 256; b++) {
        define(id++, Kind.BYTE, String.format("<0x%02X>", b), -1, -1);
      }
    }
    for (int cp : chars) {
      if (charIds.containsKey(cp)) {
        throw new IllegalArgumentException("character U+" + Integer.toHexString(cp) + " twice");
      }
      charIds.put(cp, id);
      define(id++, Kind.CHAR, new String(Character.toChars(cp)), -1, -1);
    }
    markerId = charIds.get(MARKER);
    for (int[] m : merges) {
      if (m[0] < 0 || m[0] >= id || m[1] < 0 || m[1] >= id) {
        throw new IllegalArgumentException("merge of unknown pieces " + m[0] + ", " + m[1]);
      }
      if (!isText(m[0]) || !isText(m[1]) || m[1] == markerId) {
        throw new IllegalArgumentException("merge of non-text pieces " + m[0] + ", " + m[1]);
      }
      if (mergeIds.putIfAbsent(pairKey(m[0], m[1]), id) != null) {
        throw new IllegalArgumentException("merge " + m[0] + " " + m[1] + " twice");
      }
      define(id++, Kind.MERGE, surfaces[m[0]] + surfaces[m[1]], m[0], m[1]);
    }
  }

  private void define(int id, Kind kind, String surface, int left, int right) {
    kinds[id] = kind;
    surfaces[id] = surface;
    lefts[id] = left;
    rights[id] = right;
    pieceIds.putIfAbsent(surface, id);
  }

  private boolean isText(int id) {
    return kinds[id] == Kind.CHAR || kinds[id] == Kind.MERGE;
  }

  static long pairKey(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  /** The number of pieces (the vocabulary size). */
  public int size() {
    return kinds.length;
  }

  /** Whether unknown characters are spelled as bytes. */
  public boolean byteFallback() {
    return byteFallback;
  }

  /** The character coverage the model was trained with. */
  public double characterCoverage() {
    return characterCoverage;
  }

  /** The number of characters in the model (the marker included). */
  public int characterCount() {
    return charIds.size();
  }

  /** The number of learned merges. */
  public int mergeCount() {
    return mergeIds.size();
  }

  /** The piece's text: {@code "▁the"}, {@code "<0xE2>"}, {@code "<unk>"}. */
  public String piece(int id) {
    checkId(id);
    return surfaces[id];
  }

  /** What kind of piece {@code id} is. */
  public Kind kind(int id) {
    checkId(id);
    return kinds[id];
  }

  /** The id of the piece with text {@code piece}, or {@link #UNK} if there is none. */
  public int id(String piece) {
    return pieceIds.getOrDefault(piece, UNK);
  }

  /** Whether {@code cp} has a piece of its own (the marker character counts only as the marker). */
  public boolean knows(int cp) {
    return charIds.containsKey(cp);
  }

  private void checkId(int id) {
    if (id < 0 || id >= kinds.length) {
      throw new IllegalArgumentException(
          "piece id " + id + " is outside the vocabulary [0, " + kinds.length + ")");
    }
  }

  /** The piece ids of {@code text}; the empty text gives none. */
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      return new int[0];
    }
    List<int[]> words = new ArrayList<>();
    int total = 0;
    int start = 0;
    while (true) {
      int end = text.indexOf(' ', start);
      String word = end < 0 ? text.substring(start) : text.substring(start, end);
      int[] ids = encodeWord(word);
      words.add(ids);
      total += ids.length;
      if (end < 0) {
        break;
      }
      start = end + 1;
    }
    int[] out = new int[total];
    int k = 0;
    for (int[] w : words) {
      System.arraycopy(w, 0, out, k, w.length);
      k += w.length;
    }
    return out;
  }

  /** The pieces of {@code text} as strings (for reading; see {@link #encode}). */
  public List<String> encodeAsPieces(String text) {
    List<String> out = new ArrayList<>();
    for (int id : encode(text)) {
      out.add(surfaces[id]);
    }
    return out;
  }

  /** The pieces of one word (the text between two spaces), marker first. */
  private int[] encodeWord(String word) {
    int[] cached = cache.get(word);
    if (cached != null) {
      return cached;
    }
    int[] ids = applyMerges(spell(word));
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(word, ids);
    return ids;
  }

  /**
   * The marker followed by the word's characters; an unknown character (and the marker character
   * itself inside a word) becomes its bytes, or UNK without byte fallback. Byte and UNK pieces are
   * never merged.
   */
  int[] spell(String word) {
    int[] out = new int[1 + 4 * word.length()];
    int n = 0;
    out[n++] = markerId;
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      i += Character.charCount(cp);
      Integer id = cp == MARKER ? null : charIds.get(cp);
      if (id != null) {
        out[n++] = id;
      } else if (byteFallback) {
        for (byte b : GeneralizedUtf8.encode(cp)) {
          out[n++] = BYTE_BASE + (b & 0xFF);
        }
      } else {
        out[n++] = UNK;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Applies the merges to a spelled word: repeatedly the adjacent pair with the earliest-learned
   * merge, leftmost first, as in training. A linked list and a heap keep this O(n log n).
   */
  private int[] applyMerges(int[] symbols) {
    int n = symbols.length;
    if (n < 2) {
      return symbols;
    }
    int[] sym = symbols.clone();
    int[] next = new int[n];
    int[] prev = new int[n];
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    PriorityQueue<long[]> heap =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (int i = 0; i + 1 < n; i++) {
      offer(heap, sym, i, i + 1);
    }
    while (!heap.isEmpty()) {
      long[] top = heap.poll();
      int i = (int) top[1];
      int j = next[i];
      if (sym[i] < 0 || j < 0) {
        continue;
      }
      Integer merged = mergeIds.get(pairKey(sym[i], sym[j]));
      if (merged == null || merged != top[0]) {
        continue;
      }
      sym[i] = merged;
      sym[j] = -1;
      next[i] = next[j];
      if (next[j] >= 0) {
        prev[next[j]] = i;
      }
      if (prev[i] >= 0) {
        offer(heap, sym, prev[i], i);
      }
      if (next[i] >= 0) {
        offer(heap, sym, i, next[i]);
      }
    }
    int count = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      count++;
    }
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      out[k++] = sym[i];
    }
    return out;
  }

  private void offer(PriorityQueue<long[]> heap, int[] sym, int i, int j) {
    Integer merged = mergeIds.get(pairKey(sym[i], sym[j]));
    if (merged != null) {
      heap.add(new long[] {merged, i});
    }
  }

  /**
   * The text of piece ids: pieces joined, markers turned into spaces, runs of byte pieces decoded
   * as (generalized) UTF-8 (an invalid byte becomes U+FFFD), PAD/BOS/EOS skipped, UNK as {@code ⁇},
   * and the space of the first word's marker dropped.
   *
   * @throws IllegalArgumentException for an id outside the vocabulary
   */
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder();
    byte[] bytes = new byte[16];
    int nBytes = 0;
    boolean leadingMarker = false;
    boolean first = true;
    for (int id : ids) {
      checkId(id);
      Kind kind = kinds[id];
      if (kind == Kind.BYTE) {
        if (nBytes == bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, 2 * nBytes);
        }
        bytes[nBytes++] = (byte) (id - BYTE_BASE);
        first = false;
        continue;
      }
      if (nBytes > 0) {
        GeneralizedUtf8.decode(bytes, nBytes, out);
        nBytes = 0;
      }
      if (kind == Kind.SPECIAL) {
        if (id == UNK) {
          out.append(UNK_SURFACE);
          first = false;
        }
        continue;
      }
      String s = surfaces[id];
      if (first) {
        leadingMarker = s.codePointAt(0) == MARKER;
        first = false;
      }
      out.append(s.replace('\u2581', ' '));
    }
    if (nBytes > 0) {
      GeneralizedUtf8.decode(bytes, nBytes, out);
    }
    return leadingMarker ? out.substring(1) : out.toString();
  }

  /** {@link #decode(int[])} of a list. */
  public String decode(List<Integer> ids) {
    return decode(ids.stream().mapToInt(Integer::intValue).toArray());
  }

  // ---- the text file ----

  /**
   * Writes the model as UTF-8 text: a header, then one line per piece, {@code id TAB kind TAB
   * piece}, merges followed by {@code TAB left-id TAB right-id}. Pieces are escaped so that each
   * stays on its line ({@code \t}, {@code \n}, {@code \r}, {@code \\}, and {@code \}{@code uXXXX}
   * for other invisible characters). Written atomically.
   */
  public void save(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("# seq4j subword model: byte-pair encoding with the word-start marker U+2581.\n");
      w.write("# Columns: id, kind, piece (escaped), and for merges the ids merged.\n");
      w.write(FORMAT + " " + FORMAT_VERSION + "\n");
      w.write("size " + size() + "\n");
      w.write("byte_fallback " + byteFallback + "\n");
      w.write("character_coverage " + characterCoverage + "\n");
      for (int id = 0; id < size(); id++) {
        w.write(id + "\t" + kinds[id].name().toLowerCase(java.util.Locale.ROOT) + "\t");
        w.write(PieceEscapes.escape(surfaces[id]));
        if (kinds[id] == Kind.MERGE) {
          w.write("\t" + lefts[id] + "\t" + rights[id]);
        }
        w.write("\n");
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a model written by {@link #save}.
   *
   * @throws IOException naming the file and line when it is not a valid model file
   */
  public static SubwordTokenizer load(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException ex) {
      throw new java.io.FileNotFoundException("no tokenizer model file " + file);
    } catch (java.nio.charset.CharacterCodingException ex) {
      throw new IOException(file + " is not a tokenizer model (not UTF-8 text)", ex);
    }
    return SubwordModelFile.parse(lines, file.toString());
  }

  /** The merges, as {left id, right id}, in learned order. */
  List<int[]> merges() {
    List<int[]> out = new ArrayList<>();
    for (int id = 0; id < size(); id++) {
      if (kinds[id] == Kind.MERGE) {
        out.add(new int[] {lefts[id], rights[id]});
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The characters, in id order. */
  List<Integer> chars() {
    List<Integer> out = new ArrayList<>();
    for (int id = 0; id < size(); id++) {
      if (kinds[id] == Kind.CHAR) {
        out.add(surfaces[id].codePointAt(0));
      }
    }
    return out;
  }

  static String formatHeader() {
    return FORMAT + " " + FORMAT_VERSION;
  }
}
