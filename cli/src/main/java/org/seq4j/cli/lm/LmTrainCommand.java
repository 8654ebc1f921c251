package org.seq4j.cli.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seq4j.cli.data.Documents;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
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
 * {@code seq4j lm train}: trains a recurrent character language model ({@link
 * CharRnnLanguageModel}) on a UTF-8 text with truncated back-propagation through time ({@link
 * CharLmTask}) and the training loop: AdamW, linear warm-up then cosine decay, gradient clipping,
 * validation in bits per character, checkpoints ({@code last} and {@code best}), a CSV log, a loss
 * curve and a sample of generated text at the end.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a recurrent character language model on a UTF-8 text.",
      "The text is cut into quotes ('%%' lines, as `data fetch fortunes` writes) or else"
          + " paragraphs (blank lines); every 20th is held out for validation. Training reads B"
          + " parallel streams of the rest, seq-len characters at a time, carrying the recurrent"
          + " state from one chunk to the next (reset at the start of each epoch and on resume)."
    })
public final class LmTrainCommand implements Callable<Integer> {
  /** The minimum learning rate, as a fraction of the peak. */
  static final double MIN_LR_FRACTION = 1.0 / 20;

  /** Characters of generated text written to sample.txt at the end. */
  static final int SAMPLE_LENGTH = 600;

  @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text.")
  Path text;

  @Option(
      names = "--model",
      paramLabel = "KIND",
      description = "lstm, gru or rnn (default: ${DEFAULT-VALUE}).")
  String model = "lstm";

  @Option(
      names = "--hidden",
      paramLabel = "N",
      description = "State size (default: ${DEFAULT-VALUE}).")
  int hidden = 256;

  @Option(
      names = "--layers",
      paramLabel = "N",
      description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
  int layers = 2;

  @Option(
      names = "--embedding",
      paramLabel = "N",
      description = "Character embedding size (default: ${DEFAULT-VALUE}).")
  int embedding = 64;

  @Option(
      names = "--seq-len",
      paramLabel = "T",
      description = "Characters per stream and step (default: ${DEFAULT-VALUE}).")
  int seqLen = 64;

  @Option(
      names = "--batch",
      paramLabel = "B",
      description = "Parallel streams (default: ${DEFAULT-VALUE}).")
  int batch = 32;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 5e-3;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Warm-up steps (default: min(100, steps / 10)).")
  Integer warmup;

  @Option(
      names = "--weight-decay",
      description = "AdamW's decoupled weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = 0.01;

  @Option(
      names = "--clip",
      description = "Clip gradients to this global norm; 0 for none (default: ${DEFAULT-VALUE}).")
  double clip = 1.0;

  @Option(
      names = "--dropout",
      description = "Dropout between recurrent layers (default: ${DEFAULT-VALUE}).")
  float dropout = 0f;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "Training steps; the learning rate reaches its minimum at the last one (default:"
              + " ${DEFAULT-VALUE}).")
  int steps = 7000;

  @Option(
      names = "--max-minutes",
      paramLabel = "M",
      description =
          "Stop after this many minutes even if steps remain; 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  double maxMinutes = 0;

  @Option(
      names = "--validate-every",
      paramLabel = "N",
      description = "Validate every N steps and at the end (default: steps / 6).")
  Integer validateEvery;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "lm");

  @Option(
      names = "--seed",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--resume", description = "Continue from DIR/last.safetensors if it exists.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    long t0 = System.nanoTime();
    String cell = CharRnnConfig.checkCell(model);
    LmCorpus corpus = LmCorpus.read(text);
    CharRnnConfig modelConfig =
        new CharRnnConfig(cell, corpus.vocabulary(), embedding, hidden, layers, dropout);
    int warmupSteps = warmup != null ? warmup : Math.min(100, steps / 10);
    double minLr = lr * MIN_LR_FRACTION;
    long validEvery = validateEvery != null ? validateEvery : Math.max(1, steps / 6);
    ObjectNode config = runConfig(modelConfig, corpus, warmupSteps, minLr);
    if (resume) {
      checkResumable(config);
    }

    Engine engine = Seq4jEngine.get();
    String unit = corpus.kind() == Documents.Kind.QUOTES ? "quote" : "paragraph";
    System.out.println("seq4j lm train: a recurrent character language model");
    System.out.printf(
        Locale.ROOT,
        "  data      %s: %,d %ss; %,d training and %,d validation characters (every %dth %s);"
            + " %d distinct + UNK (%,d unknown in validation)%n",
        text,
        corpus.documents(),
        unit,
        corpus.train().length,
        corpus.validation().length,
        LmCorpus.HOLD_OUT_EVERY,
        unit,
        corpus.vocabulary().size() - 1,
        corpus.unknownInValidation());

    Files.createDirectories(out);
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(Seeds.toInt(seed));
      CharRnnLanguageModel lm = new CharRnnLanguageModel(manager, modelConfig);
      CharLmTask task = new CharLmTask(lm, corpus, batch, seqLen);
      System.out.printf(
          Locale.ROOT,
          "  model     %s, embedding %d, dropout %s; %,d parameters%n",
          modelConfig.describe(),
          embedding,
          dropout,
          lm.size());
      System.out.printf(
          Locale.ROOT,
          "  batches   %d streams x %d characters, state carried between chunks; %,d chunks per"
              + " epoch%n",
          batch,
          seqLen,
          task.batchesPerEpoch());
      System.out.printf(
          Locale.ROOT,
          "  training  AdamW lr %.0e (weight decay %s), %d warm-up steps then cosine to %.0e,"
              + " clip %s; %d steps%s; %d libtorch thread(s)%n",
          lr,
          weightDecay,
          warmupSteps,
          minLr,
          clip,
          steps,
          maxMinutes > 0 ? String.format(Locale.ROOT, " or %.1f min", maxMinutes) : "",
          Seq4jEngine.threads());

      TrainLoop loop =
          TrainLoop.builder()
              .maxSteps(steps)
              .maxMinutes(maxMinutes)
              .validateEvery(validEvery)
              .checkpointEvery(validEvery)
              .checkpointDir(out)
              .bestMetric("loss", false)
              .clipNorm(clip)
              .seed(seed)
              .resume(resume)
              .runConfig(config)
              .build();
      if (!resume) {
        Files.deleteIfExists(out.resolve("train.csv"));
        Files.deleteIfExists(out.resolve("valid.csv"));
      }
      loop.addListener(new CsvLogListener(out));
      loop.addListener(
          new LossCurveListener(
                  out.resolve("loss.png"), "lm: " + modelConfig.describe() + " character model")
              .withHistory(out));
      if (!quiet) {
        loop.addListener(new ProgressBarListener("lm", maxMinutes));
      }
      TrainLoop.Summary summary;
      try (Optimizer optimizer = new AdamW(manager, lr, 0.9, 0.999, 1e-8, weightDecay)) {
        summary =
            loop.run(
                task, optimizer, LrSchedule.warmupCosine(lr, warmupSteps, steps, minLr), manager);
      }
      Map<String, Double> last = summary.metrics();
      System.out.printf(
          Locale.ROOT,
          "  trained   steps %d to %d in %.1f s (%.1f min); validation %.3f bits/char (best %.3f;"
              + " a uniform guess is %.2f)%n",
          summary.startStep(),
          summary.endStep(),
          summary.seconds(),
          summary.seconds() / 60,
          last.getOrDefault("bpc", Double.NaN),
          summary.bestValue() == null ? Double.NaN : summary.bestValue() / Math.log(2),
          Math.log(corpus.vocabulary().size() - 1) / Math.log(2));

      String context = corpus.kind().separator();
      String sample = new CharSampler(lm, manager).sample(context, SAMPLE_LENGTH, 0.8, seed, null);
      Files.writeString(out.resolve("sample.txt"), sample + "\n", StandardCharsets.UTF_8);
      System.out.println("  sample    (temperature 0.8, seed " + seed + ")");
      for (String line : sample.strip().split("\n")) {
        System.out.println("            | " + line);
      }
    }
    System.out.printf(
        Locale.ROOT, "done in %.1f s. Outputs in %s/:%n", (System.nanoTime() - t0) / 1e9, out);
    for (String f :
        List.of(
            TrainLoop.BEST, TrainLoop.LAST, "train.csv", "valid.csv", "loss.png", "sample.txt")) {
      Path p = out.resolve(f);
      if (Files.exists(p)) {
        System.out.printf(Locale.ROOT, "  %-18s %,d bytes%n", f, Files.size(p));
      }
    }
    return 0;
  }

  private void checkOptions() {
    if (hidden <= 0 || layers <= 0 || embedding <= 0 || seqLen <= 0 || batch <= 0) {
      throw new IllegalArgumentException(
          "--hidden, --layers, --embedding, --seq-len and --batch must be > 0");
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("--steps must be > 0, got " + steps);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("--lr must be > 0, got " + lr);
    }
    if (!(weightDecay >= 0) || !(clip >= 0) || !(maxMinutes >= 0)) {
      throw new IllegalArgumentException("--weight-decay, --clip and --max-minutes must be >= 0");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
    }
    if (warmup != null && (warmup < 0 || warmup >= steps)) {
      throw new IllegalArgumentException(
          "--warmup must be in [0, steps = " + steps + "), got " + warmup);
    }
    if (validateEvery != null && validateEvery <= 0) {
      throw new IllegalArgumentException("--validate-every must be > 0, got " + validateEvery);
    }
  }

  /** Everything that defines the run; stored in every checkpoint (the peer reads it too). */
  private ObjectNode runConfig(
      CharRnnConfig modelConfig, LmCorpus corpus, int warmupSteps, double minLr) {
    ObjectNode config = new ObjectMapper().createObjectNode();
    modelConfig.writeTo(config);
    config.put("text", text.toString());
    config.put("documents", corpus.kind().name().toLowerCase(Locale.ROOT));
    config.put("separator", corpus.kind().separator());
    config.put("hold_out_every", LmCorpus.HOLD_OUT_EVERY);
    config.put("seq_len", seqLen);
    config.put("batch", batch);
    config.put("optimizer", "adamw");
    config.put("lr", lr);
    config.put("min_lr", minLr);
    config.put("warmup", warmupSteps);
    config.put("schedule", "warmup-cosine");
    config.put("weight_decay", weightDecay);
    config.put("clip", clip);
    config.put("steps", steps);
    config.put("seed", seed);
    return config;
  }

  /** A resumed run must train the same model on the same data with the same schedule. */
  private void checkResumable(ObjectNode runConfig) throws IOException {
    JsonNode config = new ObjectMapper().readTree(runConfig.toString());
    Path last = out.resolve(TrainLoop.LAST);
    if (!Files.exists(last)) {
      return;
    }
    String stored = SafeTensors.readMetadata(last).get("config");
    JsonNode previous = stored == null ? null : new ObjectMapper().readTree(stored);
    if (previous == null || !previous.has("vocabulary")) {
      throw new IllegalArgumentException(
          "--resume: " + last + " was not written by `lm train`; choose another --out");
    }
    for (String key :
        List.of(
            "model",
            "vocabulary",
            "embedding",
            "hidden",
            "layers",
            "dropout",
            "seq_len",
            "batch",
            "lr",
            "warmup",
            "weight_decay",
            "clip",
            "steps")) {
      if (!config.get(key).equals(previous.get(key))) {
        throw new IllegalArgumentException(
            "--resume: "
                + last
                + " was trained with "
                + key
                + " = "
                + (key.equals("vocabulary") ? "another vocabulary" : previous.get(key))
                + ", this run has "
                + (key.equals("vocabulary") ? "that of " + text : config.get(key))
                + "; use the same settings, or another --out");
      }
    }
  }
}
