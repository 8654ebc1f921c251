package org.seq4j.cli.nmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.seq4j.cli.plot.AttentionPlot;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.Hypothesis;
import org.seq4j.nmt.NmtCheckpoint;
import org.seq4j.nmt.Translator;
import org.seq4j.text.SubwordTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code seq4j nmt attention}: translates one sentence and draws the best hypothesis's attention as
 * a heatmap, source subwords along x, target subwords (and EOS) along y.
 */
@Command(
    name = "attention",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Translate one sentence and plot the attention of the best translation: source subwords"
          + " along the top, target subwords (ending with </s>) down the side, one row per"
          + " decoding step. Prints the translation."
    })
public final class NmtAttentionCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint of `nmt train` (its tokenizer.model beside it).")
  Path checkpoint;

  @Parameters(index = "0", paramLabel = "SENTENCE", description = "The sentence to translate.")
  String sentence;

  @Option(
      names = "--png",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the heatmap.")
  Path png;

  @Mixin SearchOptions search = new SearchOptions();

  @Override
  public Integer call() throws IOException {
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      NmtCheckpoint ckpt = NmtCheckpoint.load(checkpoint, manager);
      Translator translator = new Translator(ckpt.model(), ckpt.tokenizer(), search.build());
      Translator.Result r = translator.translate(manager, List.of(sentence)).get(0);
      if (r.best() == null) {
        throw new IllegalArgumentException("nothing to translate: the sentence is empty");
      }
      SubwordTokenizer tokenizer = ckpt.tokenizer();
      Hypothesis best = r.best();
      List<String> sources = new ArrayList<>();
      for (int id : r.source()) {
        sources.add(tokenizer.piece(id));
      }
      List<String> targets = new ArrayList<>();
      for (int id : best.tokens()) {
        targets.add(tokenizer.piece(id));
      }
      targets.add(tokenizer.piece(SubwordTokenizer.EOS));
      AttentionPlot.write(
          png,
          best.attention(),
          sources,
          targets,
          "attention: "
              + sources.size()
              + " source x "
              + targets.size()
              + " target subwords ("
              + search.describe()
              + ")");
      System.out.println(r.text());
      if (r.truncated()) {
        System.err.println(
            "note: the sentence was cut to its first "
                + translator.maxSourceTokens()
                + " subword tokens");
      }
      System.err.println("wrote " + png);
    }
    return 0;
  }
}
