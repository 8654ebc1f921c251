package org.seq4j.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Learns a {@link SubwordTokenizer} from text with byte-pair encoding (Sennrich et al., 2016):
 * starting from characters, repeatedly merge the most frequent pair of adjacent pieces inside
 * words, until the vocabulary has the requested size.
 *
 * <p><b>Characters.</b> The characters kept are the most frequent ones that together cover at least
 * {@code characterCoverage} of all character occurrences (as SentencePiece's {@code
 * character_coverage}); the marker is always kept. The rest are rare: they are spelled as bytes (or
 * UNK) and take part in no merge.
 *
 * <p><b>Algorithm.</b> Words are counted once (the text between spaces, with the marker in front;
 * see {@link SubwordTokenizer}). Pair counts are kept incrementally: each pair knows the words it
 * occurs in, a merge rewrites only those words and updates the counts of the pairs it destroys and
 * creates, and a priority queue with lazy deletion yields the most frequent pair (the standard
 * implementation; it avoids recounting all pairs after each merge). Merging stops when the
 * vocabulary is full or the best pair occurs fewer than {@code minPairCount} times.
 *
 * <p><b>Determinism.</b> Ties between equally frequent characters go to the smaller code point;
 * ties between equally frequent pairs go to the pair whose left piece has the smaller id, then
 * whose right piece has the smaller id (ids follow frequency for characters and learning order for
 * merges). The result depends only on the word counts, not on the order of the input.
 */
public final class BpeTrainer {

  /**
   * Training settings.
   *
   * @param vocabSize the number of pieces wanted, specials and byte pieces included (8,000 suits a
   *     corpus of some 30k sentence pairs; GNMT used 8k–32k wordpieces)
   * @param characterCoverage the share of character occurrences the kept characters must cover
   *     (0.9999: characters rarer than about 1 in 10,000 are left to the byte fallback)
   * @param byteFallback spell unknown characters as UTF-8 bytes (else as UNK)
   * @param minPairCount the least number of occurrences for a pair to be merged (2)
   */
  public record Options(
      int vocabSize, double characterCoverage, boolean byteFallback, int minPairCount) {

    /** 8,000 pieces, coverage 0.9999, byte fallback, pairs seen at least twice. */
    public static Options defaults() {
      return new Options(8000, 0.9999, true, 2);
    }

    public Options {
      if (characterCoverage <= 0 || characterCoverage > 1) {
        throw new IllegalArgumentException(
            "character coverage must be in (0, 1], got " + characterCoverage);
      }
      if (minPairCount < 1) {
        throw new IllegalArgumentException("minPairCount must be at least 1, got " + minPairCount);
      }
    }

    /** These options with another vocabulary size. */
    public Options withVocabSize(int size) {
      return new Options(size, characterCoverage, byteFallback, minPairCount);
    }
  }

  private final Options options;

  /** A trainer with the given settings. */
  public BpeTrainer(Options options) {
    this.options = options;
  }

  /** Trains on {@code texts} (sentences of either language; each is one line of text). */
  public SubwordTokenizer train(Iterable<String> texts) {
    return train(countWords(texts));
  }

  /** Counts the words of {@code texts} (the text between spaces, marker not included). */
  public static Map<String, Long> countWords(Iterable<String> texts) {
    Map<String, Long> counts = new HashMap<>();
    for (String text : texts) {
      if (text.isEmpty()) {
        continue;
      }
      int start = 0;
      while (true) {
        int end = text.indexOf(' ', start);
        counts.merge(end < 0 ? text.substring(start) : text.substring(start, end), 1L, Long::sum);
        if (end < 0) {
          break;
        }
        start = end + 1;
      }
    }
    return counts;
  }

  /** Trains on word counts as {@link #countWords} makes them. */
  public SubwordTokenizer train(Map<String, Long> wordCounts) {
    List<Integer> chars = chooseCharacters(wordCounts);
    int base = SubwordTokenizer.SPECIALS.length + (options.byteFallback() ? 256 : 0) + chars.size();
    if (options.vocabSize() < base) {
      throw new IllegalArgumentException(
          "vocabulary size "
              + options.vocabSize()
              + " is below the "
              + base
              + " pieces the specials, bytes and characters need; raise it or lower the"
              + " character coverage");
    }
    Map<Integer, Integer> charIds = new HashMap<>();
    int firstChar = base - chars.size();
    for (int i = 0; i < chars.size(); i++) {
      charIds.put(chars.get(i), firstChar + i);
    }
    List<int[]> merges = learnMerges(wordCounts, charIds, options.vocabSize() - base, base);
    return new SubwordTokenizer(options.byteFallback(), options.characterCoverage(), chars, merges);
  }

  /** The marker, then the characters covering the requested share, by falling frequency. */
  List<Integer> chooseCharacters(Map<String, Long> wordCounts) {
    Map<Integer, Long> counts = new HashMap<>();
    long total = 0;
    for (Map.Entry<String, Long> e : wordCounts.entrySet()) {
      String w = e.getKey();
      for (int i = 0; i < w.length(); ) {
        int cp = w.codePointAt(i);
        i += Character.charCount(cp);
        if (cp != SubwordTokenizer.MARKER) {
          counts.merge(cp, e.getValue(), Long::sum);
          total += e.getValue();
        }
      }
    }
    List<Map.Entry<Integer, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Comparator.<Map.Entry<Integer, Long>>comparingLong(Map.Entry::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    List<Integer> chars = new ArrayList<>();
    chars.add(SubwordTokenizer.MARKER);
    long covered = 0;
    for (Map.Entry<Integer, Long> e : sorted) {
      if (covered >= options.characterCoverage() * total) {
        break;
      }
      chars.add(e.getKey());
      covered += e.getValue();
    }
    return chars;
  }

  /** The incremental BPE loop; returns up to {@code maxMerges} merges as {left id, right id}. */
  private List<int[]> learnMerges(
      Map<String, Long> wordCounts, Map<Integer, Integer> charIds, int maxMerges, int firstId) {
    int markerId = charIds.get(SubwordTokenizer.MARKER);
    List<String> keys = new ArrayList<>(wordCounts.keySet());
    keys.sort(null);
    int nWords = keys.size();
    int[][] words = new int[nWords][];
    long[] freq = new long[nWords];
    for (int w = 0; w < nWords; w++) {
      String key = keys.get(w);
      freq[w] = wordCounts.get(key);
      int[] sym = new int[1 + key.length()];
      int n = 0;
      sym[n++] = markerId;
      for (int i = 0; i < key.length(); ) {
        int cp = key.codePointAt(i);
        i += Character.charCount(cp);
        Integer id = cp == SubwordTokenizer.MARKER ? null : charIds.get(cp);
        sym[n++] = id == null ? -1 : id; // rare: takes part in no pair
      }
      words[w] = Arrays.copyOf(sym, n);
    }
    PairStats stats = new PairStats();
    for (int w = 0; w < nWords; w++) {
      stats.add(words[w], w, freq[w]);
    }
    PriorityQueue<long[]> queue = new PriorityQueue<>(PAIR_ORDER);
    stats.counts.forEach((pair, count) -> queue.add(new long[] {count, pair}));
    List<int[]> merges = new ArrayList<>();
    int nextId = firstId;
    while (merges.size() < maxMerges && !queue.isEmpty()) {
      long[] top = queue.poll();
      long pair = top[1];
      long count = stats.counts.getOrDefault(pair, 0L);
      if (count != top[0]) {
        continue; // stale entry; a fresh one was queued when the count changed
      }
      if (count < options.minPairCount()) {
        break;
      }
      int left = (int) (pair >>> 32);
      int right = (int) pair;
      int merged = nextId++;
      merges.add(new int[] {left, right});
      int[] where = stats.words(pair);
      stats.touched.clear();
      for (int w : where) {
        if (!contains(words[w], left, right)) {
          continue; // the word lost the pair to an earlier merge (sets are pruned lazily)
        }
        stats.remove(words[w], freq[w]);
        words[w] = merge(words[w], left, right, merged);
        stats.add(words[w], w, freq[w]);
      }
      for (Map.Entry<Long, Long> e : stats.touched.entrySet()) {
        long p = e.getKey();
        long c = stats.counts.getOrDefault(p, 0L);
        if (e.getValue() != 0 && c > 0 && p != pair) {
          queue.add(new long[] {c, p}); // the count changed: queue it afresh
        }
      }
    }
    return merges;
  }

  /** Most frequent first; then smaller left id; then smaller right id. */
  private static final Comparator<long[]> PAIR_ORDER =
      (a, b) -> {
        if (a[0] != b[0]) {
          return Long.compare(b[0], a[0]);
        }
        int la = (int) (a[1] >>> 32);
        int lb = (int) (b[1] >>> 32);
        if (la != lb) {
          return Integer.compare(la, lb);
        }
        return Integer.compare((int) a[1], (int) b[1]);
      };

  private static boolean contains(int[] sym, int left, int right) {
    for (int i = 0; i + 1 < sym.length; i++) {
      if (sym[i] == left && sym[i + 1] == right) {
        return true;
      }
    }
    return false;
  }

  /** {@code sym} with every non-overlapping occurrence of (left, right), leftmost first, merged. */
  static int[] merge(int[] sym, int left, int right, int merged) {
    int[] out = new int[sym.length];
    int n = 0;
    for (int i = 0; i < sym.length; i++) {
      if (i + 1 < sym.length && sym[i] == left && sym[i + 1] == right) {
        out[n++] = merged;
        i++;
      } else {
        out[n++] = sym[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Pair counts over all words, and for each pair the words it occurs in. */
  private static final class PairStats {
    final Map<Long, Long> counts = new HashMap<>();
    final Map<Long, WordSet> where = new HashMap<>();

    /** The net change of each pair's count during the current merge. */
    final Map<Long, Long> touched = new HashMap<>();

    void add(int[] sym, int w, long freq) {
      for (int i = 0; i + 1 < sym.length; i++) {
        if (sym[i] < 0 || sym[i + 1] < 0) {
          continue;
        }
        long p = SubwordTokenizer.pairKey(sym[i], sym[i + 1]);
        counts.merge(p, freq, Long::sum);
        where.computeIfAbsent(p, k -> new WordSet()).add(w);
        touched.merge(p, freq, Long::sum);
      }
    }

    void remove(int[] sym, long freq) {
      for (int i = 0; i + 1 < sym.length; i++) {
        if (sym[i] < 0 || sym[i + 1] < 0) {
          continue;
        }
        long p = SubwordTokenizer.pairKey(sym[i], sym[i + 1]);
        long c = counts.get(p) - freq;
        if (c == 0) {
          counts.remove(p);
          where.remove(p);
        } else {
          counts.put(p, c);
        }
        touched.merge(p, -freq, Long::sum);
      }
    }

    /** The words holding {@code pair}, in increasing order. */
    int[] words(long pair) {
      WordSet set = where.get(pair);
      return set == null ? new int[0] : set.sorted();
    }
  }

  /**
   * A small set of word indices (a hash set would box every index). Words are never removed: a word
   * that lost the pair is skipped when the pair is merged.
   */
  private static final class WordSet {
    private int[] items = new int[4];
    private int size;
    private boolean sorted = true;

    void add(int w) {
      if (size > 0 && items[size - 1] == w) {
        return;
      }
      if (size == items.length) {
        items = Arrays.copyOf(items, 2 * size);
      }
      if (size > 0 && items[size - 1] > w) {
        sorted = false;
      }
      items[size++] = w;
    }

    int[] sorted() {
      if (!sorted) {
        Arrays.sort(items, 0, size);
        int n = 0;
        for (int i = 0; i < size; i++) {
          if (n == 0 || items[n - 1] != items[i]) {
            items[n++] = items[i];
          }
        }
        size = n;
        sorted = true;
      }
      return Arrays.copyOf(items, size);
    }
  }
}
