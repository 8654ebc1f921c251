package org.seq4j.nmt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.seq4j.text.SentencePair;

/**
 * German–English sentence pairs from the Ding dictionary (Frank Richter, TU Chemnitz, GPL-2+;
 * Debian package {@code trans-de-en}, file {@code usr/share/trans/de-en}).
 *
 * <p>Each line of the file is an entry {@code German :: English}; an entry holds sub-entries
 * separated by {@code " | "} on both sides, aligned by position, and a sub-entry lists alternatives
 * separated by {@code "; "}. Lines starting with {@code #} are comments.
 *
 * <ul>
 *   <li>An entry whose sides have different numbers of sub-entries is skipped.
 *   <li>From each aligned sub-entry the first alternative of each side is taken.
 *   <li>Ding's annotations are removed: {@code {f}}, {@code {pl}}, {@code {vt}} (grammar), {@code
 *       [Br.]}, {@code [ugs.]}, {@code [geol.]} (region, register, field), {@code <Aalmolch>}
 *       (spelling variants, search keys) and {@code (...)} (explanations, optional words); then
 *       whitespace is normalized and a space left before punctuation is removed.
 *   <li>A pair is kept when both sides are sentences: at least 3 words, ending in {@code .}, {@code
 *       !} or {@code ?} (a closing quotation mark may follow). Repeated pairs are kept once.
 *   <li>The split is by a hash of the German sentence, so that the same sentence always lands in
 *       the same split: CRC-32 of its UTF-8 bytes, modulo 100: 0–1 test, 2–3 dev, 4–99 train (about
 *       2%, 2% and 96%).
 * </ul>
 */
public final class DingCorpus {
  /** The Debian package. */
  public static final String PACKAGE = "trans-de-en";

  /** The dictionary file, relative to the unpacked root. */
  public static final Path FILE = Path.of("usr", "share", "trans", "de-en");

  private static final List<Pattern> ANNOTATIONS =
      List.of(
          Pattern.compile("\\{[^{}]*\\}"),
          Pattern.compile("\\[[^\\[\\]]*\\]"),
          Pattern.compile("<[^<>]*>"),
          Pattern.compile("\\([^()]*\\)"));
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile(" +([.,;:!?])");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"“”„’«»]?$");

  private DingCorpus() {}

  /**
   * What {@link #build} made.
   *
   * @param splits the sentence pairs, split by hash
   * @param entries the dictionary entries read (comment lines excluded)
   * @param mismatched entries skipped because their sides have different numbers of sub-entries
   * @param malformed lines without exactly one {@code " :: "}
   * @param subEntries aligned sub-entries examined
   * @param duplicates sentence pairs dropped as repeats
   */
  public record Result(
      CorpusSplits splits,
      int entries,
      int mismatched,
      int malformed,
      int subEntries,
      int duplicates) {}

  /** Builds the corpus from the lines of the dictionary file. */
  public static Result build(List<String> lines) {
    Set<SentencePair> seen = new LinkedHashSet<>();
    int entries = 0;
    int mismatched = 0;
    int malformed = 0;
    int subEntries = 0;
    int duplicates = 0;
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      entries++;
      String[] sides = line.split(" :: ", -1);
      if (sides.length != 2) {
        malformed++;
        continue;
      }
      String[] de = sides[0].split(" \\| ", -1);
      String[] en = sides[1].split(" \\| ", -1);
      if (de.length != en.length) {
        mismatched++;
        continue;
      }
      for (int i = 0; i < de.length; i++) {
        subEntries++;
        String g = clean(firstAlternative(de[i]));
        String e = clean(firstAlternative(en[i]));
        if (isSentence(g) && isSentence(e)) {
          if (!seen.add(new SentencePair(g, e, ""))) {
            duplicates++;
          }
        }
      }
    }
    List<SentencePair> train = new ArrayList<>();
    List<SentencePair> dev = new ArrayList<>();
    List<SentencePair> test = new ArrayList<>();
    int n = 0;
    for (SentencePair p : seen) {
      SentencePair withId = new SentencePair(p.source(), p.target(), "ding-" + (++n));
      switch (splitOf(p.source())) {
        case "test" -> test.add(withId);
        case "dev" -> dev.add(withId);
        default -> train.add(withId);
      }
    }
    return new Result(
        new CorpusSplits(train, dev, test), entries, mismatched, malformed, subEntries, duplicates);
  }

  /** The first of the {@code "; "}-separated alternatives. */
  static String firstAlternative(String subEntry) {
    int semi = subEntry.indexOf("; ");
    return semi < 0 ? subEntry : subEntry.substring(0, semi);
  }

  /** {@code s} without Ding's annotations, whitespace normalized. */
  public static String clean(String s) {
    for (Pattern p : ANNOTATIONS) {
      s = p.matcher(s).replaceAll(" ");
    }
    s = SPACES.matcher(s).replaceAll(" ").strip();
    return SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
  }

  /** At least three words and sentence-final punctuation. */
  public static boolean isSentence(String s) {
    return SENTENCE_END.matcher(s).find() && s.split(" ").length >= 3;
  }

  /** The split of a pair with German sentence {@code source}: CRC-32 mod 100, 0–1 test, 2–3 dev. */
  public static String splitOf(String source) {
    CRC32 crc = new CRC32();
    crc.update(source.getBytes(StandardCharsets.UTF_8));
    long bucket = crc.getValue() % 100;
    return bucket < 2 ? "test" : bucket < 4 ? "dev" : "train";
  }
}
