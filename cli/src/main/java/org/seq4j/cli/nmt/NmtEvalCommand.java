package org.seq4j.cli.nmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.NmtCheckpoint;
import org.seq4j.nmt.TranslationData;
import org.seq4j.nmt.Translator;
import org.seq4j.text.Bleu;
import org.seq4j.text.BleuScore;
import org.seq4j.text.SentencePair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seq4j nmt eval}: translates the dev or test split of the data a checkpoint was trained on
 * and scores it with BLEU, exactly as sacreBLEU's default.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Translate the test (or dev) split of the checkpoint's data and print corpus BLEU as"
          + " sacreBLEU does: the score line and the signature. What was evaluated goes to"
          + " standard error."
    })
public final class NmtEvalCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint of `nmt train` (its tokenizer.model beside it).")
  Path checkpoint;

  @Option(
      names = "--split",
      paramLabel = "test|dev",
      description = "The split to translate (default: ${DEFAULT-VALUE}).")
  String split = "test";

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where fetched data sets are (default: the training run's).")
  Path dataDir;

  @Mixin SearchOptions search = new SearchOptions();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the translations here, one per line.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!split.equals("test") && !split.equals("dev")) {
      throw new IllegalArgumentException("--split must be test or dev, got " + split);
    }
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      NmtCheckpoint ckpt = NmtCheckpoint.load(checkpoint, manager);
      JsonNode config = ckpt.config();
      List<String> data = new ArrayList<>();
      config.path("data").forEach(n -> data.add(n.asText()));
      if (data.isEmpty()) {
        throw new IllegalArgumentException(checkpoint + ": the config names no training data");
      }
      Path dir = dataDir != null ? dataDir : Path.of(config.path("data_dir").asText("data"));
      String direction = config.path("direction").asText("");
      TranslationData corpus =
          TranslationData.load(data, dir, direction.isEmpty() ? null : direction);
      List<SentencePair> pairs = corpus.splits().split(split);
      if (pairs.isEmpty()) {
        throw new IllegalArgumentException(
            corpus.description() + " has no " + split + " pairs to evaluate");
      }
      List<String> sources = new ArrayList<>();
      List<String> references = new ArrayList<>();
      for (SentencePair p : pairs) {
        sources.add(p.source());
        references.add(p.target());
      }
      System.err.printf(
          Locale.ROOT,
          "nmt eval: %s (step %d) on %s, %s split: %,d pairs; %s%n",
          checkpoint,
          ckpt.progress().path("step").asLong(0),
          corpus.description(),
          split,
          pairs.size(),
          search.describe());
      long start = System.nanoTime();
      Translator translator = new Translator(ckpt.model(), ckpt.tokenizer(), search.build());
      List<String> hypotheses = translator.translateText(manager, sources);
      System.err.printf(Locale.ROOT, "  translated in %.1f s%n", (System.nanoTime() - start) / 1e9);
      if (out != null) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.write(out, hypotheses, StandardCharsets.UTF_8);
        System.err.println("  wrote " + out);
      }
      Bleu bleu = Bleu.sacreDefault();
      BleuScore score = bleu.corpusScore(hypotheses, List.of(references));
      System.out.println(score.format());
      System.out.println(bleu.signature(1));
    }
    return 0;
  }
}
