package org.seq4j.nmt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.seq4j.text.ParallelCorpus;
import org.seq4j.text.SentencePair;

/**
 * A parallel corpus cut into training, development and test pairs, written as {@code train.tsv},
 * {@code dev.tsv} and {@code test.tsv} ({@code source TAB target TAB id}).
 *
 * @param train the training pairs
 * @param dev the development pairs (model selection, tuning)
 * @param test the test pairs
 */
public record CorpusSplits(
    List<SentencePair> train, List<SentencePair> dev, List<SentencePair> test) {

  /** The split names, which are also the file names without {@code .tsv}. */
  public static final List<String> NAMES = List.of("train", "dev", "test");

  public CorpusSplits {
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    test = List.copyOf(test);
  }

  /** The pairs of split {@code name} ({@code train}, {@code dev} or {@code test}). */
  public List<SentencePair> split(String name) {
    return switch (name) {
      case "train" -> train;
      case "dev" -> dev;
      case "test" -> test;
      default ->
          throw new IllegalArgumentException(
              "unknown split '" + name + "' (known: train, dev, test)");
    };
  }

  /** The number of pairs in all splits. */
  public int size() {
    return train.size() + dev.size() + test.size();
  }

  /** Writes {@code dir/train.tsv}, {@code dir/dev.tsv} and {@code dir/test.tsv}. */
  public void write(Path dir) throws IOException {
    for (String name : NAMES) {
      ParallelCorpus.writeTsv(file(dir, name), split(name));
    }
  }

  /**
   * Reads the three files {@link #write} wrote. A split may be empty; all three may not.
   *
   * @throws IOException when a file is missing or malformed, or the corpus is empty
   */
  public static CorpusSplits read(Path dir) throws IOException {
    CorpusSplits splits =
        new CorpusSplits(
            ParallelCorpus.readTsv(file(dir, "train"), true),
            ParallelCorpus.readTsv(file(dir, "dev"), true),
            ParallelCorpus.readTsv(file(dir, "test"), true));
    if (splits.size() == 0) {
      throw new IOException(dir + " holds no sentence pairs (train.tsv, dev.tsv, test.tsv)");
    }
    return splits;
  }

  /** {@code dir/NAME.tsv}. */
  public static Path file(Path dir, String name) {
    return dir.resolve(name + ".tsv");
  }
}
