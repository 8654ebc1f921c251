package org.seq4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seq4j.cli.quickstart.CharCorpus;
import org.seq4j.cli.quickstart.Sampler;
import org.seq4j.cli.quickstart.TranslationStep;
import org.seq4j.cli.quickstart.WaveNetStep;
import org.seq4j.cli.quickstart.WindowLanguageModel;
import org.seq4j.cli.quickstart.WindowLanguageModelTask;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.Checkpoint;
import org.seq4j.optim.AdamW;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;
import org.seq4j.train.CsvLogListener;
import org.seq4j.train.LossCurveListener;
import org.seq4j.train.ProgressBarListener;
import org.seq4j.train.Seeds;
import org.seq4j.train.TrainLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j quickstart}: the whole pipeline on small real data, in a few minutes — read real
 * English text, train a character language model with the training loop (AdamW, warm-up + cosine,
 * clipping, validation, checkpoints, CSV log, loss curve), reload the best checkpoint and check it
 * scores the same, then generate text from it.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = {
      "Train a small character language model on real text and sample from it, then a tiny"
          + " GNMT translator on ding-de-en (fetched when missing) and score it with BLEU (a few"
          + " minutes).",
      "Default text: the license texts every Debian/Ubuntu system ships in"
          + " /usr/share/common-licenses."
    })
final class QuickstartCommand implements Callable<Integer> {
  static final Path LICENSES = Path.of("/usr/share/common-licenses");
  static final List<String> LICENSE_FILES =
      List.of(
          "GPL-3",
          "GPL-2",
          "GPL-1",
          "LGPL-3",
          "LGPL-2.1",
          "LGPL-2",
          "Apache-2.0",
          "MPL-2.0",
          "MPL-1.1",
          "Artistic",
          "GFDL-1.3",
          "GFDL-1.2",
          "CC0-1.0",
          "BSD");

  @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text files to train on.")
  List<Path> text = new ArrayList<>();

  @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "quickstart");

  @Option(names = "--steps", description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps = 4000;

  @Option(
      names = "--max-minutes",
      description = "Stop training after this many minutes (default: ${DEFAULT-VALUE}).")
  double maxMinutes = 3;

  @Option(names = "--batch", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
  int batch = 256;

  @Option(names = "--context", description = "Characters of context (default: ${DEFAULT-VALUE}).")
  int context = 16;

  @Option(names = "--hidden", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden = 512;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 3e-3;

  @Option(
      names = "--seed",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(
      names = "--wavenet-minutes",
      paramLabel = "M",
      description =
          "Minutes of WaveNet training on real speech after the translation step; 0 to skip the"
              + " WaveNet step (default: ${DEFAULT-VALUE}).")
  double wavenetMinutes = 1;

  @Option(
      names = "--translation-minutes",
      paramLabel = "M",
      description =
          "Training time of the translation step, a tiny GNMT on ding-de-en (default:"
              + " ${DEFAULT-VALUE}).")
  double translationMinutes = 0.75;

  @Option(names = "--no-translation", description = "Skip the translation step.")
  boolean noTranslation;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where fetched data sets are; ding-de-en and speech-en are fetched there when missing"
              + " (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("data");

  @Override
  public Integer call() throws Exception {
    if (!(wavenetMinutes >= 0)) {
      throw new IllegalArgumentException("--wavenet-minutes must be >= 0, got " + wavenetMinutes);
    }
    if (steps <= 0 || batch <= 0 || context <= 0 || hidden <= 0 || !(lr > 0)) {
      throw new IllegalArgumentException(
          "--steps, --batch, --context, --hidden and --lr must be > 0");
    }
    if (!(translationMinutes > 0)) {
      throw new IllegalArgumentException(
          "--translation-minutes must be > 0, got " + translationMinutes);
    }
    long t0 = System.nanoTime();
    Engine engine = Seq4jEngine.get();
    List<Path> files = text.isEmpty() ? defaultTexts() : text;
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("no such text file: " + f);
      }
    }
    CharCorpus corpus = CharCorpus.read(files, 10);
    System.out.println("seq4j quickstart: a character language model on real text");
    System.out.printf(
        Locale.ROOT,
        "  data      %d files (%s), %,d training and %,d validation characters (every 10th"
            + " paragraph), %d distinct%n",
        files.size(),
        text.isEmpty() ? LICENSES : "--text",
        corpus.train().length,
        corpus.validation().length,
        corpus.vocabularySize());

    Files.createDirectories(out);
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(Seeds.toInt(seed));
      WindowLanguageModel model =
          new WindowLanguageModel(manager, corpus.vocabularySize(), context, 32, hidden);
      var task = new WindowLanguageModelTask(model, corpus, batch, 40_000, seed);
      System.out.printf(
          Locale.ROOT,
          "  model     window MLP (Bengio et al. 2003): %d chars of context -> %d tanh units ->"
              + " softmax; %,d parameters%n",
          context,
          hidden,
          model.size());
      int warmup = Math.min(200, steps / 10);
      System.out.printf(
          Locale.ROOT,
          "  training  AdamW lr %.0e, %d warm-up steps then cosine, clip 1.0, batch %d, %d steps"
              + " or %.1f min, %s libtorch thread(s)%n",
          lr,
          warmup,
          batch,
          steps,
          maxMinutes,
          Seq4jEngine.threads());

      ObjectNode config = new ObjectMapper().createObjectNode();
      config.put("model", "window-mlp");
      config.put("context", context).put("embedding", 32).put("hidden", hidden);
      config.put("vocabulary", corpus.vocabularySize()).put("batch", batch).put("lr", lr);
      TrainLoop loop =
          TrainLoop.builder()
              .maxSteps(steps)
              .maxMinutes(maxMinutes)
              .validateEvery(Math.max(1, steps / 10))
              .checkpointEvery(Math.max(1, steps / 4))
              .checkpointDir(out)
              .bestMetric("loss", false)
              .clipNorm(1.0)
              .seed(seed)
              .runConfig(config)
              .build();
      Files.deleteIfExists(out.resolve("train.csv"));
      Files.deleteIfExists(out.resolve("valid.csv"));
      Path curve = out.resolve("loss.png");
      loop.addListener(new CsvLogListener(out));
      loop.addListener(new LossCurveListener(curve, "quickstart: window MLP character LM"));
      if (!quiet) {
        loop.addListener(new ProgressBarListener("train", 0));
      }
      TrainLoop.Summary summary;
      try (Optimizer optimizer = new AdamW(manager, lr, 0.9, 0.999, 1e-8, 0.01)) {
        summary =
            loop.run(task, optimizer, LrSchedule.warmupCosine(lr, warmup, steps, lr / 20), manager);
      }
      Map<String, Double> last = summary.metrics();
      System.out.printf(
          Locale.ROOT,
          "  trained   %d steps in %.1f s; validation %.3f bits/char (best %.3f; a uniform guess"
              + " is %.2f)%n",
          summary.endStep(),
          summary.seconds(),
          last.getOrDefault("bpc", Double.NaN),
          summary.bestValue() / Math.log(2),
          Math.log(corpus.vocabularySize()) / Math.log(2));

      // Reload the best checkpoint into a fresh model and check it scores what it scored.
      try (NDManager reloadManager = engine.newBaseManager()) {
        WindowLanguageModel reloaded =
            new WindowLanguageModel(reloadManager, corpus.vocabularySize(), context, 32, hidden);
        Checkpoint best = Checkpoint.load(out.resolve(TrainLoop.BEST), reloadManager);
        best.copyWeightsInto(reloaded.parameters());
        var reloadedTask = new WindowLanguageModelTask(reloaded, corpus, batch, 40_000, seed);
        double bpc = reloadedTask.validate(reloadManager).get("bpc");
        System.out.printf(
            Locale.ROOT,
            "  reloaded  %s (step %d): %.3f bits/char%n",
            out.resolve(TrainLoop.BEST),
            best.progress().path("step").asLong(),
            bpc);
        String sample =
            Sampler.sample(reloaded, corpus, reloadManager, "This License", 400, 0.7, seed);
        Files.writeString(out.resolve("sample.txt"), sample + "\n", StandardCharsets.UTF_8);
        System.out.println("  sample    (temperature 0.7, seed " + seed + ")");
        for (String line : sample.split("\n")) {
          System.out.println("            | " + line);
        }
      }
    }
    boolean translated = false;
    if (!noTranslation) {
      System.out.println("seq4j quickstart: a tiny GNMT translator, German to English");
      translated =
          TranslationStep.run(
              dataDir, out.resolve("nmt"), translationMinutes, seed, quiet, System.out);
    }
    System.out.printf(
        Locale.ROOT, "done in %.1f s. Outputs in %s/:%n", (System.nanoTime() - t0) / 1e9, out);
    for (String f :
        List.of(
            "best.safetensors",
            "last.safetensors",
            "train.csv",
            "valid.csv",
            "loss.png",
            "sample.txt")) {
      Path p = out.resolve(f);
      if (Files.exists(p)) {
        System.out.printf(Locale.ROOT, "  %-18s %,d bytes%n", f, Files.size(p));
      }
    }
    if (translated) {
      System.out.printf(
          Locale.ROOT,
          "  nmt/               last.safetensors, tokenizer.model (try: seq4j nmt translate"
              + " --checkpoint %s < de.txt)%n",
          out.resolve("nmt").resolve(TrainLoop.LAST));
    }
    if (wavenetMinutes > 0) {
      return WaveNetStep.run(dataDir, out.resolve("wavenet"), wavenetMinutes, seed, quiet);
    }
    return 0;
  }

  private static List<Path> defaultTexts() {
    List<Path> files = new ArrayList<>();
    for (String name : LICENSE_FILES) {
      Path p = LICENSES.resolve(name);
      if (Files.isRegularFile(p) && !Files.isSymbolicLink(p)) {
        files.add(p);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "no texts found in " + LICENSES + "; pass one or more UTF-8 files with --text FILE");
    }
    return files;
  }
}
