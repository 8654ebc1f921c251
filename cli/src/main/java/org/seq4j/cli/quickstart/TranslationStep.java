package org.seq4j.cli.quickstart;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seq4j.cli.data.FetchDingCommand;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.BeamSearch;
import org.seq4j.nmt.CorpusSplits;
import org.seq4j.nmt.EncodedPairs;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nmt.NmtCheckpoint;
import org.seq4j.nmt.NmtTask;
import org.seq4j.nmt.TranslationData;
import org.seq4j.nmt.Translator;
import org.seq4j.optim.Adam;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;
import org.seq4j.text.Bleu;
import org.seq4j.text.BpeTrainer;
import org.seq4j.text.SentencePair;
import org.seq4j.text.SubwordTokenizer;
import org.seq4j.train.ProgressBarListener;
import org.seq4j.train.Seeds;
import org.seq4j.train.TrainLoop;
import picocli.CommandLine;

/**
 * The quickstart's translation step: a tiny GNMT (2+2 layers of 96, a 1,000-piece tokenizer; small
 * models with small batches get furthest in a minute here) trained for well under a minute on the
 * short sentence pairs of {@code ding-de-en} (German to English), then greedy translations of dev
 * sentences scored with BLEU. The data set is fetched when it is not in the data directory yet;
 * when that fails (no network, no {@code apt-get}), the step is skipped with a note.
 */
public final class TranslationStep {
  /** Pairs with more words than this on either side are left out: short ones learn fastest. */
  static final int MAX_WORDS = 8;

  /** Dev pairs translated and scored. */
  static final int DEV_PAIRS = 100;

  private TranslationStep() {}

  /**
   * Runs the step.
   *
   * @param dataDir where fetched data sets are (fetched into when missing)
   * @param out where the checkpoints and the tokenizer go
   * @param minutes the training budget
   * @param seed the seed
   * @param quiet no progress bar
   * @return whether it ran (false: skipped, with the reason printed)
   */
  public static boolean run(
      Path dataDir, Path out, double minutes, long seed, boolean quiet, PrintStream console)
      throws IOException {
    String name = "ding-de-en";
    if (!Files.isRegularFile(CorpusSplits.file(dataDir.resolve(name), "train"))) {
      console.println(
          "  fetching  " + name + " into " + dataDir + " (seq4j data fetch " + name + ")");
      String[] failure = new String[1];
      int code =
          new CommandLine(new FetchDingCommand())
              .setExecutionExceptionHandler(
                  (ex, cli, parsed) -> {
                    failure[0] = ex.getMessage();
                    return 1;
                  })
              .execute("--dir", dataDir.toString());
      if (code != 0) {
        console.println(
            "  skipped   the translation step: could not fetch "
                + name
                + (failure[0] == null ? "" : " (" + failure[0] + ")"));
        return false;
      }
    }
    TranslationData data = TranslationData.load(List.of(name), dataDir, null);
    List<SentencePair> train = shortPairs(data.splits().train(), Integer.MAX_VALUE);
    List<SentencePair> dev = shortPairs(data.splits().dev(), DEV_PAIRS);
    console.printf(
        Locale.ROOT,
        "  data      %s: %,d training and %,d dev pairs of at most %d words a side (of %,d and"
            + " %,d)%n",
        data.description(),
        train.size(),
        dev.size(),
        MAX_WORDS,
        data.splits().train().size(),
        data.splits().dev().size());
    List<String> text = new ArrayList<>();
    for (SentencePair p : train) {
      text.add(p.source());
      text.add(p.target());
    }
    SubwordTokenizer tokenizer =
        new BpeTrainer(BpeTrainer.Options.defaults().withVocabSize(1000)).train(text);
    Files.createDirectories(out);
    Path tokenizerFile = out.resolve(NmtCheckpoint.TOKENIZER_FILE);
    tokenizer.save(tokenizerFile);
    EncodedPairs encoded = EncodedPairs.encode(tokenizer, train, 64);
    GnmtConfig config =
        GnmtConfig.small(tokenizer.size())
            .withSizes(96, 96)
            .withLayers(2, 2)
            .withResidualFrom(0)
            .withDropout(0.1f)
            .withAttention(org.seq4j.nn.Attention.Kind.LUONG);
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(Seeds.toInt(seed));
      Gnmt gnmt = new Gnmt(config);
      gnmt.initialize(manager, DataType.FLOAT32, 0.2f);
      BeamSearch greedy = BeamSearch.builder().beamSize(1).alpha(0).beta(0).build();
      Translator translator = new Translator(gnmt, tokenizer, greedy);
      NmtTask task = new NmtTask(gnmt, encoded, dev, tokenizer, 800, 0.1f, null, seed);
      console.printf(
          Locale.ROOT,
          "  model     %s; %,d parameters; tokenizer of %,d pieces%n",
          config.describe(),
          gnmt.parameterCount(),
          tokenizer.size());
      console.printf(
          Locale.ROOT,
          "  training  Adam lr 5e-03, batches of at most 800 tokens (%,d per epoch), label"
              + " smoothing 0.1, clip 5; %.1f min%n",
          task.batchesPerEpoch(),
          minutes);
      TrainLoop loop =
          TrainLoop.builder()
              .maxMinutes(minutes)
              .maxSteps(100_000)
              .clipNorm(5)
              .seed(seed)
              .checkpointDir(out)
              .runConfig(runConfig(config, tokenizerFile, dataDir))
              .build();
      if (!quiet) {
        loop.addListener(new ProgressBarListener("gnmt", minutes));
      }
      TrainLoop.Summary summary;
      try (Optimizer adam = new Adam(manager, 5e-3)) {
        summary = loop.run(task, adam, LrSchedule.constant(5e-3), manager);
      }
      long start = System.nanoTime();
      List<String> sources = new ArrayList<>();
      List<String> references = new ArrayList<>();
      for (SentencePair p : dev) {
        sources.add(p.source());
        references.add(p.target());
      }
      List<String> hypotheses = translator.translateText(manager, sources);
      double bleu = Bleu.sacreDefault().corpusScore(hypotheses, List.of(references)).score();
      console.printf(
          Locale.ROOT,
          "  trained   %d steps (%.1f epochs) in %.1f s, loss %.2f; %d dev sentences translated"
              + " (greedy) in %.1f s: BLEU %.1f%n",
          summary.endStep(),
          summary.endStep() / (double) task.batchesPerEpoch(),
          summary.seconds(),
          summary.lastLoss(),
          dev.size(),
          (System.nanoTime() - start) / 1e9,
          bleu);
      for (int i = 0; i < Math.min(3, dev.size()); i++) {
        console.println("            de   | " + sources.get(i));
        console.println("            ref  | " + references.get(i));
        console.println("            gnmt | " + hypotheses.get(i));
      }
    }
    return true;
  }

  /** The run config: the model, the tokenizer and the data, as `nmt train` writes them. */
  private static ObjectNode runConfig(GnmtConfig config, Path tokenizerFile, Path dataDir)
      throws IOException {
    ObjectNode node =
        NmtCheckpoint.runConfig(
            config, NmtCheckpoint.TOKENIZER_FILE, NmtCheckpoint.sha256(tokenizerFile));
    node.putArray("data").add("ding-de-en");
    node.put("data_dir", dataDir.toAbsolutePath().toString());
    node.put("direction", "de-en");
    node.put("quickstart_max_words", MAX_WORDS);
    return node;
  }

  /** The pairs with at most {@link #MAX_WORDS} words a side, at most {@code limit} of them. */
  static List<SentencePair> shortPairs(List<SentencePair> pairs, int limit) {
    List<SentencePair> out = new ArrayList<>();
    for (SentencePair p : pairs) {
      if (out.size() == limit) {
        break;
      }
      if (words(p.source()) <= MAX_WORDS && words(p.target()) <= MAX_WORDS) {
        out.add(p);
      }
    }
    return out;
  }

  private static int words(String s) {
    return s.isBlank() ? 0 : s.strip().split(" +").length;
  }
}
