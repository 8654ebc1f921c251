package org.seq4j.nmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import org.seq4j.text.ParallelCorpus;
import org.seq4j.text.SentencePair;

/**
 * The sentence pairs a translation model is trained, validated and tested on, in one direction.
 *
 * <p>Where they come from ({@link #load}):
 *
 * <ul>
 *   <li>a fetched data set, {@code bible-en-es} or {@code ding-de-en}: its {@code
 *       DATA_DIR/NAME/{train,dev,test}.tsv} as {@code seq4j data fetch} wrote them, in its own
 *       direction ({@code en-es}, {@code de-en}) or the reverse;
 *   <li>a folder with {@code train.tsv}, {@code dev.tsv} and {@code test.tsv} (source TAB target
 *       [TAB id]): those splits as they are; the dev split must not be empty;
 *   <li>one TSV file, or two line-aligned text files (source, then target): every pair, split by a
 *       hash of the source sentence as {@code ding-de-en} is ({@link #splitOf}: CRC-32 of its UTF-8
 *       bytes mod 100, 0–1 test, 2–3 dev, 4–99 train), so a sentence always lands in the same
 *       split. When a held-out split would be empty (a small corpus), the first training pair in
 *       file order goes there instead.
 * </ul>
 *
 * Malformed input is an error that names the file and the line ({@link ParallelCorpus}): a line
 * without a tab, files with different line counts, an empty corpus, invalid UTF-8.
 *
 * @param description what was read, for messages ("bible-en-es (en-es)", a path)
 * @param direction {@code SRC-TGT} for a fetched data set, empty for a user corpus
 * @param splits the pairs, source first
 * @param splitRule how the pairs were split, in words
 */
public record TranslationData(
    String description, String direction, CorpusSplits splits, String splitRule) {

  /** The fetched data sets and their own direction. */
  public static final Map<String, String> NAMED =
      Map.of("bible-en-es", "en-es", "ding-de-en", "de-en");

  /** The hash rule for a corpus given as one file or two aligned files. */
  public static final String HASH_RULE =
      "CRC-32 of the source sentence mod 100: 0-1 test, 2-3 dev, 4-99 train";

  /**
   * Reads the pairs.
   *
   * @param data one value: a fetched data set's name, a folder of {@code {train,dev,test}.tsv} or a
   *     TSV file; or two values: line-aligned source and target files
   * @param dataDir where fetched data sets are
   * @param direction for a fetched data set: {@code SRC-TGT}, its own or the reverse, or null for
   *     its own; must be null for a user corpus
   * @throws IllegalArgumentException for an unknown data set, a data set not fetched yet, a
   *     direction that does not fit, or a corpus without training or dev pairs
   * @throws IOException for a missing or malformed file
   */
  public static TranslationData load(List<String> data, Path dataDir, String direction)
      throws IOException {
    if (data == null || data.isEmpty() || data.size() > 2) {
      throw new IllegalArgumentException(
          "the data: a data set name, a folder, a TSV file, or two aligned text files");
    }
    TranslationData result;
    if (data.size() == 2) {
      noDirection(direction);
      Path source = Path.of(data.get(0));
      Path target = Path.of(data.get(1));
      result =
          bySourceHash(
              source + " + " + target, ParallelCorpus.readAligned(source, target), "", HASH_RULE);
    } else {
      String one = data.get(0);
      if (NAMED.containsKey(one)) {
        result = named(one, dataDir, direction);
      } else {
        Path path = Path.of(one);
        if (Files.isDirectory(path)) {
          noDirection(direction);
          if (!Files.exists(CorpusSplits.file(path, "train"))) {
            throw new IllegalArgumentException(
                "the folder "
                    + path
                    + " has no train.tsv; a corpus folder holds train.tsv, dev.tsv and test.tsv");
          }
          result =
              new TranslationData(
                  path.toString(), "", CorpusSplits.read(path), "the folder's train/dev/test.tsv");
        } else if (Files.isRegularFile(path)) {
          noDirection(direction);
          result = bySourceHash(path.toString(), ParallelCorpus.readTsv(path), "", HASH_RULE);
        } else {
          throw new IllegalArgumentException(
              "unknown data '"
                  + one
                  + "': not a fetched data set ("
                  + String.join(", ", NAMED.keySet().stream().sorted().toList())
                  + "), nor an existing file or folder");
        }
      }
    }
    if (result.splits().train().isEmpty()) {
      throw new IllegalArgumentException(result.description() + ": no training pairs");
    }
    if (result.splits().dev().isEmpty()) {
      throw new IllegalArgumentException(
          result.description() + ": no dev pairs, which validation needs");
    }
    return result;
  }

  private static void noDirection(String direction) {
    if (direction != null) {
      throw new IllegalArgumentException(
          "--direction applies to the fetched data sets (bible-en-es, ding-de-en); in your own"
              + " corpus the first column (or file) is the source");
    }
  }

  private static TranslationData named(String name, Path dataDir, String direction)
      throws IOException {
    String own = NAMED.get(name);
    String[] langs = own.split("-");
    String reverse = langs[1] + "-" + langs[0];
    String wanted = direction == null ? own : direction.toLowerCase(Locale.ROOT);
    if (!wanted.equals(own) && !wanted.equals(reverse)) {
      throw new IllegalArgumentException(
          "--direction for " + name + ": " + own + " or " + reverse + ", got " + direction);
    }
    Path dir = dataDir.resolve(name);
    for (String split : CorpusSplits.NAMES) {
      if (!Files.isRegularFile(CorpusSplits.file(dir, split))) {
        throw new IllegalArgumentException(
            "the data set "
                + name
                + " is not in "
                + dir
                + " (no "
                + split
                + ".tsv); fetch it with `seq4j data fetch "
                + name
                + "`, or point --data-dir at its parent folder");
      }
    }
    CorpusSplits splits = CorpusSplits.read(dir);
    if (!wanted.equals(own)) {
      splits = new CorpusSplits(swap(splits.train()), swap(splits.dev()), swap(splits.test()));
    }
    String rule =
        name.equals("bible-en-es")
            ? "by book: test = John, dev = Ruth, Jonah, Philippians"
            : "CRC-32 of the German sentence mod 100: 0-1 test, 2-3 dev, 4-99 train";
    return new TranslationData(name + " (" + wanted + ")", wanted, splits, rule);
  }

  private static List<SentencePair> swap(List<SentencePair> pairs) {
    List<SentencePair> out = new ArrayList<>(pairs.size());
    for (SentencePair p : pairs) {
      out.add(new SentencePair(p.target(), p.source(), p.id()));
    }
    return out;
  }

  /**
   * Splits {@code pairs} by {@link #splitOf} their source; an empty held-out split takes the first
   * training pair (in order), when there are at least three pairs.
   */
  static TranslationData bySourceHash(
      String description, List<SentencePair> pairs, String direction, String rule) {
    List<SentencePair> train = new ArrayList<>();
    List<SentencePair> dev = new ArrayList<>();
    List<SentencePair> test = new ArrayList<>();
    for (SentencePair p : pairs) {
      switch (splitOf(p.source())) {
        case "test" -> test.add(p);
        case "dev" -> dev.add(p);
        default -> train.add(p);
      }
    }
    if (dev.isEmpty() && train.size() >= 2) {
      dev.add(train.remove(0));
    }
    if (test.isEmpty() && train.size() >= 2) {
      test.add(train.remove(0));
    }
    return new TranslationData(description, direction, new CorpusSplits(train, dev, test), rule);
  }

  /** The split of a pair with source {@code source}: CRC-32 mod 100, 0–1 test, 2–3 dev, train. */
  public static String splitOf(String source) {
    CRC32 crc = new CRC32();
    crc.update(source.getBytes(StandardCharsets.UTF_8));
    long bucket = crc.getValue() % 100;
    return bucket < 2 ? "test" : bucket < 4 ? "dev" : "train";
  }

  /** The sentences of the training split, both sides, for training the tokenizer. */
  public List<String> trainingText() {
    List<String> out = new ArrayList<>(2 * splits.train().size());
    for (SentencePair p : splits.train()) {
      out.add(p.source());
      out.add(p.target());
    }
    return out;
  }
}
