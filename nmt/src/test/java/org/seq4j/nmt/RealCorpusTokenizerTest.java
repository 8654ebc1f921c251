package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.seq4j.text.BpeTrainer;
import org.seq4j.text.SentencePair;
import org.seq4j.text.SubwordTokenizer;

/**
 * When the corpora have been fetched ({@code seq4j data fetch bible-en-es}, {@code ding-de-en}): a
 * shared 8,000-piece model trained on the training split encodes and decodes every line of every
 * split (both sides) exactly. Skipped when the data is absent.
 */
class RealCorpusTokenizerTest {

  private static Path dataDir(String name) {
    for (Path p : List.of(Path.of("data", name), Path.of("..", "data", name))) {
      if (Files.isRegularFile(p.resolve("train.tsv"))) {
        return p;
      }
    }
    return null;
  }

  @Test
  void bibleLinesRoundTrip() throws IOException {
    roundTrip("bible-en-es");
  }

  @Test
  void dingLinesRoundTrip() throws IOException {
    roundTrip("ding-de-en");
  }

  private static void roundTrip(String name) throws IOException {
    Path dir = dataDir(name);
    assumeTrue(dir != null, name + " not fetched");
    CorpusSplits splits = CorpusSplits.read(dir);
    List<String> train = new ArrayList<>();
    for (SentencePair p : splits.train()) {
      train.add(p.source());
      train.add(p.target());
    }
    long t0 = System.nanoTime();
    SubwordTokenizer model = new BpeTrainer(BpeTrainer.Options.defaults()).train(train);
    double seconds = (System.nanoTime() - t0) / 1e9;
    int lines = 0;
    long pieces = 0;
    long bytePieces = 0;
    for (String split : CorpusSplits.NAMES) {
      for (SentencePair p : splits.split(split)) {
        for (String s : List.of(p.source(), p.target())) {
          int[] ids = model.encode(s);
          pieces += ids.length;
          for (int id : ids) {
            bytePieces += model.kind(id) == SubwordTokenizer.Kind.BYTE ? 1 : 0;
          }
          assertEquals(s, model.decode(ids), p.id());
          lines++;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: trained %d pieces (%d characters, %d merges) on %,d lines in %.1f s;"
            + " %,d lines round-trip, %.2f pieces per line, %d byte pieces%n",
        name,
        model.size(),
        model.characterCount(),
        model.mergeCount(),
        train.size(),
        seconds,
        lines,
        pieces / (double) lines,
        bytePieces);
  }
}
