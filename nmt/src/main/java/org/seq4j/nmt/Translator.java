package org.seq4j.nmt;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.seq4j.text.SubwordTokenizer;

/**
 * Translates lines of text with a {@link Gnmt}, a {@link SubwordTokenizer} and a {@link
 * BeamSearch}: encode, batch by length, search, decode, in the input's order.
 *
 * <p>Lines are sorted by their number of subword tokens and cut into batches of at most {@code
 * maxSentences} lines and {@code maxTokens} source tokens (padding included), so similar lengths
 * decode together; the results come back in the input's order. An empty line (or one of spaces
 * only, which encodes to nothing a model could read) gives an empty translation without running the
 * model.
 *
 * <p><b>Length caps.</b> A source of more than {@code maxSourceTokens} subword tokens ({@link
 * #MAX_SOURCE_TOKENS} by default) is cut to its first {@code maxSourceTokens} tokens ({@link
 * Result#truncated} says so), and the search's own cap bounds the output ({@link
 * BeamSearch#maxTokens}: by default {@code min(2 |X| + 10, 256)} tokens before EOS). So any line
 * costs bounded time and memory. Characters the tokenizer has never seen are spelled as UTF-8 byte
 * pieces (or {@code <unk>} without byte fallback); they never fail.
 */
public final class Translator {
  /** The default cap on source tokens: longer sources are cut. */
  public static final int MAX_SOURCE_TOKENS = 256;

  private final Gnmt model;
  private final SubwordTokenizer tokenizer;
  private final BeamSearch search;
  private final int maxSourceTokens;
  private final int maxSentences;
  private final int maxTokens;

  /**
   * One translated line.
   *
   * @param text the translation, detokenized
   * @param source the source's subword ids as the model read them (after the cap)
   * @param truncated whether the source was cut to the cap
   * @param best the best hypothesis, or null for an empty line
   */
  public record Result(String text, int[] source, boolean truncated, Hypothesis best) {}

  /**
   * A translator with the default cap ({@link #MAX_SOURCE_TOKENS}) and batches of at most 64 lines
   * and 2,048 source tokens.
   */
  public Translator(Gnmt model, SubwordTokenizer tokenizer, BeamSearch search) {
    this(model, tokenizer, search, MAX_SOURCE_TOKENS, 64, 2048);
  }

  /**
   * @param maxSourceTokens the most source tokens read; longer sources are cut ({@code >= 1})
   * @param maxSentences the most lines in one search ({@code >= 1})
   * @param maxTokens the most padded source tokens in one search ({@code >= 1}); a longer line gets
   *     a search of its own
   */
  public Translator(
      Gnmt model,
      SubwordTokenizer tokenizer,
      BeamSearch search,
      int maxSourceTokens,
      int maxSentences,
      int maxTokens) {
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.search = Objects.requireNonNull(search, "search");
    if (maxSourceTokens < 1 || maxSentences < 1 || maxTokens < 1) {
      throw new IllegalArgumentException(
          "maxSourceTokens, maxSentences and maxTokens must be >= 1, got "
              + maxSourceTokens
              + ", "
              + maxSentences
              + " and "
              + maxTokens);
    }
    if (tokenizer.size() != model.vocabularySize()) {
      throw new IllegalArgumentException(
          "the tokenizer has "
              + tokenizer.size()
              + " pieces but the model a vocabulary of "
              + model.vocabularySize());
    }
    this.maxSourceTokens = maxSourceTokens;
    this.maxSentences = maxSentences;
    this.maxTokens = maxTokens;
  }

  /** The beam search in use. */
  public BeamSearch search() {
    return search;
  }

  /** The cap on source tokens. */
  public int maxSourceTokens() {
    return maxSourceTokens;
  }

  /** Translates {@code lines}; the result's text only. */
  public List<String> translateText(NDManager manager, List<String> lines) {
    List<String> out = new ArrayList<>(lines.size());
    for (Result r : translate(manager, lines)) {
      out.add(r.text());
    }
    return out;
  }

  /** Translates {@code lines}, one result per line, in order. */
  public List<Result> translate(NDManager manager, List<String> lines) {
    int n = lines.size();
    int[][] sources = new int[n][];
    boolean[] truncated = new boolean[n];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] ids = tokenizer.encode(Objects.requireNonNull(lines.get(i), "line " + i));
      if (ids.length > maxSourceTokens) {
        ids = Arrays.copyOf(ids, maxSourceTokens);
        truncated[i] = true;
      }
      sources[i] = ids;
      if (!isBlank(ids)) {
        order.add(i);
      }
    }
    order.sort(Comparator.comparingInt(i -> sources[i].length));
    Result[] results = new Result[n];
    int start = 0;
    while (start < order.size()) {
      int end = start + 1;
      while (end < order.size()
          && end - start < maxSentences
          && (long) (end - start + 1) * sources[order.get(end)].length <= maxTokens) {
        end++;
      }
      List<int[]> batch = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        batch.add(sources[order.get(k)]);
      }
      List<Translation> found;
      try (NDManager work = manager.newSubManager()) {
        found = search.search(work, model, batch);
      }
      for (int k = start; k < end; k++) {
        int i = order.get(k);
        Hypothesis best = found.get(k - start).best();
        results[i] = new Result(tokenizer.decode(best.tokens()), sources[i], truncated[i], best);
      }
      start = end;
    }
    for (int i = 0; i < n; i++) {
      if (results[i] == null) {
        results[i] = new Result("", sources[i], truncated[i], null);
      }
    }
    return Arrays.asList(results);
  }

  /** Whether {@code ids} has no piece but word-start markers (spaces) or nothing at all. */
  private boolean isBlank(int[] ids) {
    for (int id : ids) {
      if (!tokenizer.piece(id).equals("\u2581")) {
        return false;
      }
    }
    return true;
  }
}
